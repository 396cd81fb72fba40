// Resolved mentions of one kind sharing a blocking key, at most $per_key for each key: the
// first by mention_id (as the embedded store returns them). i is the key's position in
// $keys; the caller orders by (i, mention_id) and drops repeats.
// A key marked indexed (carried by many mentions, entity_set_keys) is read from the
// keyed_candidates index (its KEYED edges by key, kind, mention_id: copies of the BlockKey's
// and the Mention's), which hands the edges over in that order, so the LIMIT stops it after
// $per_key edges however many mentions carry the key (ordering by all three properties is
// what lets the planner take the index's order instead of sorting). Any other key has few
// mentions: all are read from its BlockKey and sorted.
// $keys: list of blocking keys; $kind: 'person' or 'enterprise'; $per_key: limit per key.
UNWIND range(0, size($keys) - 1) AS i
CALL (i) {
  MATCH (k:BlockKey {key: $keys[i]})
  CALL (k, i) {
    WITH k WHERE k.indexed
    MATCH (m)-[r:KEYED]->()  // only mentions have KEYED edges
    WHERE r.key = $keys[i] AND r.kind = $kind AND r.mention_id IS NOT NULL
    RETURN m ORDER BY r.key, r.kind, r.mention_id LIMIT $per_key
    UNION ALL
    WITH k WHERE k.indexed IS NULL
    MATCH (k)<-[:KEYED]-(m)
    WHERE m.kind = $kind
    RETURN m ORDER BY m.mention_id LIMIT $per_key
  }
  RETURN m
}
RETURN i, m.mention_id AS mention_id, m.source AS source, m.source_id AS source_id,
       m.slot AS slot, m.kind AS kind, m.entity_id AS entity_id, m.decision AS decision,
       m.score AS score, m.evidence AS evidence, m.decided_by AS decided_by, m.at AS at,
       m.fields AS fields
