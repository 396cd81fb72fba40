// Every version of one source record, oldest first.
MATCH (v:RecordVersion {source: $source, source_id: $source_id})
RETURN v.seq AS seq, v.content_hash AS content_hash, v.received_at AS received_at,
       v.payload AS payload
ORDER BY v.seq
