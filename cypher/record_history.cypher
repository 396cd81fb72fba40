// Every version of one source record, oldest first: the superseded versions
// (RecordVersion nodes) and the latest one, which the record node holds.
CALL () {
  MATCH (v:RecordVersion {source: $source, source_id: $source_id})
  RETURN v.seq AS seq, v.content_hash AS content_hash, v.received_at AS received_at,
         v.payload AS payload
  UNION ALL
  MATCH (r:SourceRecord {source: $source, source_id: $source_id})
  RETURN r.seq AS seq, r.content_hash AS content_hash, r.received_at AS received_at,
         r.payload AS payload
}
RETURN seq, content_hash, received_at, payload
ORDER BY seq
