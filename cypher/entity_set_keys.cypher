// Replace the blocking keys of mentions: (:Mention)-[:KEYED]->(:BlockKey {key}), one
// BlockKey node per distinct key, so key counts are its degree. A key carried by more than
// $indexed_degree mentions is marked `indexed` (for good) and its edges carry copies of the
// key and of their mention's kind and id, held by the keyed_candidates index, from which
// entity_candidates reads the first mentions of the key and kind in mention_id order
// without reading the rest; the edges of other keys stay bare (they are few per key, and
// copies on all edges would cost more store, index and write time than they save).
// Run after entity_upsert_mentions: a mention whose keys changed, or whose kind changed
// there while it has indexed edges, has its edges redrawn; any other is left alone (a
// re-run rewrites nothing). Then the keys written that now pass $indexed_degree are marked
// and their edges given the copies, once.
// $rows: list of {mention_id, keys}, keys holding no repeats; $indexed_degree: mentions a
// key must exceed to be indexed.
UNWIND $rows AS row
MATCH (m:Mention {mention_id: row.mention_id})
CALL (m, row) {
  WITH m, row, [(m)-[r:KEYED]->(k:BlockKey) | {key: k.key, kind: r.kind}] AS current
  WHERE size(current) <> size(row.keys)
        OR any(c IN current WHERE NOT c.key IN row.keys
                                  OR (c.kind IS NOT NULL AND c.kind <> m.kind))
  CALL (m) {
    MATCH (m)-[old:KEYED]->(:BlockKey)
    DELETE old
  }
  CALL (m, row) {
    UNWIND row.keys AS key
    MERGE (k:BlockKey {key: key})
    CREATE (m)-[r:KEYED]->(k)
    SET r += CASE WHEN k.indexed THEN {key: key, kind: m.kind, mention_id: m.mention_id}
                  ELSE {} END
  }
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
