// Journal source records and link them into the graph; one row per record.
// $rows: list of {i, seq, source, source_id, kind, content_hash, payload, received_at}.
// A row whose content equals the latest version is a duplicate and writes nothing.
// No two rows of one call share (source, source_id): the caller splits such batches.
UNWIND $rows AS row
MATCH (d:Department {code: row.source})
MERGE (r:SourceRecord {source: row.source, source_id: row.source_id})
WITH r, d, row, r.content_hash AS previous
CALL (r, d, row, previous) {
  WITH r, d, row, previous
  WHERE previous IS NULL OR previous <> row.content_hash
  CREATE (v:RecordVersion {
    seq: row.seq, source: row.source, source_id: row.source_id, kind: row.kind,
    content_hash: row.content_hash, payload: row.payload, received_at: row.received_at
  })-[:VERSION_OF]->(r)
  SET r.kind = row.kind, r.content_hash = row.content_hash, r.seq = row.seq,
      r.payload = row.payload, r.received_at = row.received_at
  MERGE (r)-[:FROM]->(d)
}
RETURN row.i AS i,
       CASE WHEN previous IS NULL THEN 'accepted'
            WHEN previous = row.content_hash THEN 'duplicate'
            ELSE 'new_version' END AS outcome
