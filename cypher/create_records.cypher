// Source records seen for the first time: the record (holding its first version), its
// department, and the Case or CreditEvent it describes. CREATE, not MERGE: the caller
// checked the keys are new while holding the sequence counter's lock, which serialises
// appends; the uniqueness constraints would still refuse a duplicate.
// A SourceRecord holds its latest version (payload included); only superseded versions
// are RecordVersion nodes (add_record_versions.cypher), so a first load writes one node
// and one relationship per record.
// $rows: list of {seq, source, source_id, kind, content_hash, payload}; $received_at: when
// the batch arrived.
UNWIND $rows AS row
MATCH (d:Department {code: row.source})
CREATE (r:SourceRecord {
  source: row.source, source_id: row.source_id, kind: row.kind,
  content_hash: row.content_hash, seq: row.seq, received_at: $received_at,
  payload: row.payload
})-[:FROM]->(d)
FOREACH (_ IN CASE WHEN row.kind = 'case' THEN [1] ELSE [] END |
  CREATE (r)-[:DESCRIBES]->(:Case {source: row.source, source_id: row.source_id})
         -[:HANDLED_BY]->(d)
)
FOREACH (_ IN CASE WHEN row.kind = 'credit_event' THEN [1] ELSE [] END |
  CREATE (r)-[:DESCRIBES]->(:CreditEvent {source: row.source, source_id: row.source_id})
)
RETURN count(r) AS written
