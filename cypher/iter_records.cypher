// Latest version of every source record, optionally of one kind ($kind) and source ($source),
// in sequence order (read from the seq index in its order, so nothing is sorted in memory).
MATCH (r:SourceRecord)
WHERE r.seq IS NOT NULL
  AND ($kind IS NULL OR r.kind = $kind) AND ($source IS NULL OR r.source = $source)
RETURN r.seq AS seq, r.content_hash AS content_hash, r.received_at AS received_at,
       r.payload AS payload
ORDER BY r.seq
