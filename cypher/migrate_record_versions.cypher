// Stores written before a SourceRecord held its latest version kept every version,
// the latest too, as a RecordVersion node. This moves each record's latest payload onto
// the record and removes that version node; run when the store opens. Idempotent: in the
// current layout no RecordVersion has its record's seq, so it changes nothing (and reads
// only the superseded versions). Runs in an implicit (auto-commit) transaction.
MATCH (v:RecordVersion)-[:VERSION_OF]->(r:SourceRecord)
WHERE v.seq = r.seq
CALL (v, r) {
  SET r.payload = v.payload
  DETACH DELETE v
} IN TRANSACTIONS OF 5000 ROWS
