// Second step of migrate_keyed_edges: the keys whose edges it completed are marked indexed,
// so their candidates are read from the keyed_candidates index from now on.
// $indexed_degree: as in migrate_keyed_edges; $batch: keys per transaction.
MATCH (k:BlockKey)
WHERE k.indexed IS NULL AND COUNT { (k)<-[:KEYED]-() } > $indexed_degree
CALL (k) {
  SET k.indexed = true
} IN TRANSACTIONS OF $batch ROWS
