// Stores written before keys carried by many mentions were indexed (entity_set_keys): the
// KEYED edges of each key of more than $indexed_degree mentions get their copies of the
// key and their mention's kind and id. Run when the store opens and the keyed_candidates
// index does not exist yet, before migrate_keyed_marks marks those keys indexed, so an
// interrupted run is simply run again at the next open (a key not marked yet is read the
// old way, from its BlockKey, so nothing is missed meanwhile). Inner transactions of
// $batch edges, whatever the keys' sizes, so none outgrows the transaction memory limit.
// $indexed_degree: mentions a key must exceed to be indexed; $batch: edges per transaction.
MATCH (k:BlockKey)
WHERE k.indexed IS NULL AND COUNT { (k)<-[:KEYED]-() } > $indexed_degree
MATCH (k)<-[r:KEYED]-(m)
CALL (k, r, m) {
  SET r.key = k.key, r.kind = m.kind, r.mention_id = m.mention_id
} IN TRANSACTIONS OF $batch ROWS
