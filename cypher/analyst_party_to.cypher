// Analyst graph: (Person|Enterprise)-[:PARTY_TO {role}]->(Case), one per entity, case and
// role. An entity that is not live and linked (no Person / Enterprise label) or a missing
// case gets no edge.
// $rows: list of {entity_id, source, source_id, role}.
UNWIND $rows AS row
MATCH (e:Entity {entity_id: row.entity_id})
WHERE e:Person OR e:Enterprise
MATCH (c:Case {source: row.source, source_id: row.source_id})
MERGE (e)-[:PARTY_TO {role: row.role}]->(c)
