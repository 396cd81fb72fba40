// Stores written before KEYED edges carried their key, kind and mention_id (copies of the
// BlockKey's key and the Mention's kind and id, for the keyed_candidates index) get them
// here. Run when the store opens and that index does not exist yet, before it is created,
// so an interrupted run is simply run again at the next open. Idempotent: an edge already
// right is not written. Mentions are taken a few thousand per transaction; the outer read
// names no property the inner write sets, so nothing is held back in memory (an eager
// read of every edge outgrows the server's transaction memory). Runs in an implicit
// (auto-commit) transaction.
MATCH (m:Mention)
CALL (m) {
  MATCH (m)-[r:KEYED]->(k:BlockKey)
  WHERE NOT coalesce(r.key = k.key AND r.kind = m.kind AND r.mention_id = m.mention_id,
                     false)
  SET r.key = k.key, r.kind = m.kind, r.mention_id = m.mention_id
} IN TRANSACTIONS OF 2000 ROWS
