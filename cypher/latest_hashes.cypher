// Content hashes of the latest versions of those given source records that exist, as one
// row: `known` lists [i, content_hash] pairs (unknown keys are left out, so a first load
// gets back one empty list rather than a row per record).
// $keys: list of {i, source, source_id}.
UNWIND $keys AS key
MATCH (r:SourceRecord {source: key.source, source_id: key.source_id})
RETURN collect([key.i, r.content_hash]) AS known
