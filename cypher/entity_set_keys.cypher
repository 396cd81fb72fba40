// Replace the blocking keys of mentions: (:Mention)-[:KEYED]->(:BlockKey {key}), one
// BlockKey node per distinct key, so candidates and key counts start from one index seek.
// A mention whose keys did not change is left alone (a re-run rewrites nothing).
// $rows: list of {mention_id, keys}; keys hold no repeats.
UNWIND $rows AS row
MATCH (m:Mention {mention_id: row.mention_id})
CALL (m, row) {
  WITH m, row, [(m)-[:KEYED]->(k:BlockKey) | k.key] AS current
  WHERE size(current) <> size(row.keys) OR any(key IN row.keys WHERE NOT key IN current)
  CALL (m) {
    MATCH (m)-[old:KEYED]->(:BlockKey)
    DELETE old
  }
  CALL (m, row) {
    UNWIND row.keys AS key
    MERGE (k:BlockKey {key: key})
    CREATE (m)-[:KEYED]->(k)
  }
}
