// Analyst graph: set properties on live Person / Enterprise nodes (name, cluster,
// cluster_size, risk_score, risk_level; a null value removes the property). Never an ID
// number or credit code.
// $rows: list of {entity_id, props}.
UNWIND $rows AS row
MATCH (e:Entity {entity_id: row.entity_id})
WHERE e:Person OR e:Enterprise
SET e += row.props
