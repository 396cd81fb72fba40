// Replace the blocking keys of mentions: (:Mention)-[:KEYED {key, kind, mention_id}]->
// (:BlockKey {key}), one BlockKey node per distinct key (key counts are its degree). The
// edge repeats the key and the mention's kind and id for the keyed_candidates index, from
// which entity_candidates reads the first mentions of a key and kind in mention_id order.
// Run after entity_upsert_mentions: a mention whose kind changed there has its edges
// redrawn with the new kind; one whose keys and kind did not change is left alone (a re-run
// rewrites nothing).
// $rows: list of {mention_id, keys}; keys hold no repeats.
UNWIND $rows AS row
MATCH (m:Mention {mention_id: row.mention_id})
CALL (m, row) {
  WITH m, row, [(m)-[r:KEYED]->() | r] AS current
  WHERE size(current) <> size(row.keys)
        OR any(r IN current WHERE NOT coalesce(r.kind = m.kind AND r.key IN row.keys, false))
  CALL (m) {
    MATCH (m)-[old:KEYED]->(:BlockKey)
    DELETE old
  }
  CALL (m, row) {
    UNWIND row.keys AS key
    MERGE (k:BlockKey {key: key})
    CREATE (m)-[:KEYED {key: key, kind: m.kind, mention_id: m.mention_id}]->(k)
  }
}
