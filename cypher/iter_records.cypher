// Latest version of every source record, optionally of one kind ($kind) and source ($source).
MATCH (r:SourceRecord)
WHERE ($kind IS NULL OR r.kind = $kind) AND ($source IS NULL OR r.source = $source)
MATCH (v:RecordVersion {seq: r.seq})
RETURN v.seq AS seq, v.content_hash AS content_hash, v.received_at AS received_at,
       v.payload AS payload
ORDER BY v.seq
