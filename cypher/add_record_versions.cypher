// New versions of known source records: the version the record held until now becomes a
// RecordVersion node (VERSION_OF the record), and the record takes the new version.
// $rows: list of {seq, source, source_id, kind, content_hash, payload}, no key twice;
// $received_at: when the batch arrived.
UNWIND $rows AS row
MATCH (r:SourceRecord {source: row.source, source_id: row.source_id})
CREATE (:RecordVersion {
  seq: r.seq, source: r.source, source_id: r.source_id, kind: r.kind,
  content_hash: r.content_hash, payload: r.payload, received_at: r.received_at
})-[:VERSION_OF]->(r)
SET r.kind = row.kind, r.content_hash = row.content_hash, r.seq = row.seq,
    r.payload = row.payload, r.received_at = $received_at
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
