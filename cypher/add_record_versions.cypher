// New versions of known source records: the version node, and the record now points at it.
// $rows: list of {seq, source, source_id, kind, content_hash, payload}, no key twice;
// $received_at: when the batch arrived.
UNWIND $rows AS row
MATCH (r:SourceRecord {source: row.source, source_id: row.source_id})
CREATE (:RecordVersion {
  seq: row.seq, source: row.source, source_id: row.source_id, kind: row.kind,
  content_hash: row.content_hash, payload: row.payload, received_at: $received_at
})-[:VERSION_OF]->(r)
SET r.kind = row.kind, r.content_hash = row.content_hash, r.seq = row.seq,
    r.received_at = $received_at
WITH r, row
MATCH (d:Department {code: row.source})
FOREACH (_ IN CASE WHEN row.kind = 'case' THEN [1] ELSE [] END |
  MERGE (c:Case {source: row.source, source_id: row.source_id})
  MERGE (r)-[:DESCRIBES]->(c)
  MERGE (c)-[:HANDLED_BY]->(d)
)
FOREACH (_ IN CASE WHEN row.kind = 'credit_event' THEN [1] ELSE [] END |
  MERGE (e:CreditEvent {source: row.source, source_id: row.source_id})
  MERGE (r)-[:DESCRIBES]->(e)
)
