// Mentions resolved for the first time, with their blocking keys: what
// entity_upsert_mentions and entity_set_keys write, in one pass and without looking for an
// earlier node or keys. CREATE, not MERGE: the caller checked, while holding the
// resolution lock, that none of these mentions was written before (batch resolution reads
// every mention of either kind first) and gives each once; the mention_id constraint would
// still refuse a duplicate. BlockKey nodes are shared between mentions, so they are merged.
// Keys are marked indexed, and indexed keys' edges given their copies, as entity_set_keys
// does.
// $rows: list of entity_upsert_mentions rows, each with its keys (no repeats);
// $indexed_degree: as in entity_set_keys.
UNWIND $rows AS row
CREATE (m:Mention {
  mention_id: row.mention_id, source: row.source, source_id: row.source_id, slot: row.slot,
  kind: row.kind, entity_id: row.entity_id, decision: row.decision, score: row.score,
  evidence: row.evidence, decided_by: row.decided_by, at: row.at, fields: row.fields
})
WITH m, row
CALL (m, row) {
  UNWIND row.keys AS key
  MERGE (k:BlockKey {key: key})
  CREATE (m)-[r:KEYED]->(k)
  SET r += CASE WHEN k.indexed THEN {key: key, kind: m.kind, mention_id: m.mention_id}
                ELSE {} END
}
WITH count(*) AS written
CALL () {
  UNWIND $rows AS row
  UNWIND row.keys AS key
  WITH DISTINCT key
  MATCH (k:BlockKey {key: key})
  WHERE k.indexed IS NULL AND COUNT { (k)<-[:KEYED]-() } > $indexed_degree
  SET k.indexed = true
  WITH k
  MATCH (k)<-[r:KEYED]-(m)
  SET r.key = k.key, r.kind = m.kind, r.mention_id = m.mention_id
}
