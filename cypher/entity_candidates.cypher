// Resolved mentions of one kind sharing a blocking key, at most $per_key for each key: the
// first by mention_id (as the embedded store returns them). i is the key's position in
// $keys; the caller orders by (i, mention_id) and drops repeats.
// $keys: list of blocking keys; $kind: 'person' or 'enterprise'; $per_key: limit per key.
UNWIND range(0, size($keys) - 1) AS i
CALL (i) {
  MATCH (:BlockKey {key: $keys[i]})<-[:KEYED]-(m:Mention)
  WHERE m.kind = $kind
  RETURN m ORDER BY m.mention_id LIMIT $per_key
}
RETURN i, m.mention_id AS mention_id, m.source AS source, m.source_id AS source_id,
       m.slot AS slot, m.kind AS kind, m.entity_id AS entity_id, m.decision AS decision,
       m.score AS score, m.evidence AS evidence, m.decided_by AS decided_by, m.at AS at,
       m.fields AS fields
