// The latest version of one source record.
MATCH (r:SourceRecord {source: $source, source_id: $source_id})
MATCH (v:RecordVersion {seq: r.seq})
RETURN v.seq AS seq, v.content_hash AS content_hash, v.received_at AS received_at,
       v.payload AS payload
