// Stores written before keys carried by many mentions were indexed (entity_set_keys): each
// key of more than $indexed_degree mentions is marked indexed and its KEYED edges get their
// copies of the key and their mention's kind and id. Run when the store opens and the
// keyed_candidates index does not exist yet, before it is created, so an interrupted run
// is simply run again at the next open (a key not marked yet is read the old way, from
// its BlockKey, so nothing is missed meanwhile). Runs in an implicit (auto-commit)
// transaction, a hundred keys per inner transaction.
// $indexed_degree: mentions a key must exceed to be indexed.
MATCH (k:BlockKey)
WHERE k.indexed IS NULL AND COUNT { (k)<-[:KEYED]-() } > $indexed_degree
CALL (k) {
  SET k.indexed = true
  WITH k
  MATCH (k)<-[r:KEYED]-(m)
  SET r.key = k.key, r.kind = m.kind, r.mention_id = m.mention_id
} IN TRANSACTIONS OF 100 ROWS
