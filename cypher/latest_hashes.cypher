// Content hash of the latest version of each given source record (null when unknown).
// $keys: list of {i, source, source_id}.
UNWIND $keys AS key
OPTIONAL MATCH (r:SourceRecord {source: key.source, source_id: key.source_id})
RETURN key.i AS i, r.content_hash AS content_hash
