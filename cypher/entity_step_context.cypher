// What one record-by-record resolution step reads before deciding, in one statement (one
// round trip instead of one per question), with the answers entity_mention,
// entity_reviewer_constraints, entity_candidates, entity_total and entity_key_count give:
// where the mention resolved before (null if never), the reviewers' constraints in order,
// the candidates sharing its blocking keys (at most $per_key a key, the first by
// mention_id, read as entity_candidates reads them; i is the key's position, the caller
// orders by (i, mention_id) and drops repeats; no score or evidence, which comparing does
// not use), how many live entities of its kind exist, and how many resolved mentions carry
// each of $count_keys (a degree lookup, as in entity_key_count).
// $mention_id; $kind: 'person' or 'enterprise'; $keys: blocking keys; $per_key: limit per
// key; $count_keys: keys to count (term frequencies).
CALL () {
  OPTIONAL MATCH (m:Mention {mention_id: $mention_id})
  RETURN m {.mention_id, .source, .source_id, .slot, .kind, .entity_id, .decision, .score,
            .evidence, .decided_by, .at, .fields} AS link
}
CALL () {
  MATCH (c:ReviewerConstraint)
  WITH c ORDER BY c.seq
  RETURN collect(c {.left_mention, .right_mention, .merge, .decided_by, .at}) AS constraints
}
CALL () {
  UNWIND range(0, size($keys) - 1) AS i
  CALL (i) {
    MATCH (k:BlockKey {key: $keys[i]})
    CALL (k, i) {
      WITH k WHERE k.indexed
      MATCH (m)-[r:KEYED]->()  // only mentions have KEYED edges: no label check per row
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
  RETURN collect(m {i: i, .mention_id, .source, .source_id, .slot, .kind, .entity_id,
                    .fields}) AS candidates
}
CALL () {
  CALL () { MATCH (p:Person) RETURN count(p) AS people }
  CALL () { MATCH (e:Enterprise) RETURN count(e) AS enterprises }
  CALL () { MATCH (u:UnlinkedEntity) WHERE u.kind = $kind RETURN count(u) AS unlinked }
  RETURN CASE $kind WHEN 'person' THEN people WHEN 'enterprise' THEN enterprises ELSE 0 END
         + unlinked AS entity_total
}
CALL () {
  UNWIND $count_keys AS key
  OPTIONAL MATCH (k:BlockKey {key: key})
  RETURN collect({key: key, count: CASE WHEN k IS NULL THEN 0
                                        ELSE COUNT { (k)<-[:KEYED]-() } END})
         AS key_counts
}
RETURN link, constraints, candidates, entity_total, key_counts
