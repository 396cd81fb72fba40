// A credit-event record describes a CreditEvent. $rows: list of {source, source_id}.
UNWIND $rows AS row
MATCH (r:SourceRecord {source: row.source, source_id: row.source_id})
MERGE (e:CreditEvent {source: row.source, source_id: row.source_id})
MERGE (r)-[:DESCRIBES]->(e)
