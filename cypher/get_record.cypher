// The latest version of one source record (the record node holds it).
MATCH (r:SourceRecord {source: $source, source_id: $source_id})
RETURN r.seq AS seq, r.content_hash AS content_hash, r.received_at AS received_at,
       r.payload AS payload
