// A case record describes a Case handled by its department. $rows: list of {source, source_id}.
UNWIND $rows AS row
MATCH (r:SourceRecord {source: row.source, source_id: row.source_id})
MATCH (d:Department {code: row.source})
MERGE (c:Case {source: row.source, source_id: row.source_id})
MERGE (r)-[:DESCRIBES]->(c)
MERGE (c)-[:HANDLED_BY]->(d)
