// Every journalled version of every source record.
MATCH (v:RecordVersion)
RETURN count(v) AS count
