// Analyst graph: (Person|Enterprise)-[:SUBJECT_OF]->(CreditEvent).
// $rows: list of {entity_id, source, source_id}.
UNWIND $rows AS row
MATCH (e:Entity {entity_id: row.entity_id})
WHERE e:Person OR e:Enterprise
MATCH (c:CreditEvent {source: row.source, source_id: row.source_id})
MERGE (e)-[:SUBJECT_OF]->(c)
