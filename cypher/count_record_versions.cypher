// Every journalled version of every source record: the latest ones (one per SourceRecord)
// and the superseded ones (RecordVersion nodes). Both counts come from the count store.
CALL () { MATCH (r:SourceRecord) RETURN count(r) AS latest }
CALL () { MATCH (v:RecordVersion) RETURN count(v) AS superseded }
RETURN latest + superseded AS count
