// Latest version of every source record, optionally of one kind ($kind) and source ($source).
MATCH (r:SourceRecord)
WHERE ($kind IS NULL OR r.kind = $kind) AND ($source IS NULL OR r.source = $source)
RETURN r.seq AS seq, r.content_hash AS content_hash, r.received_at AS received_at,
       r.payload AS payload
ORDER BY r.seq
