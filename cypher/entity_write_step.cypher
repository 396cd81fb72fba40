// One small resolution step (no merges, moves, review decisions or constraints: what a
// record-by-record push writes) as one statement, one round trip instead of one per part.
// It does what these do in this order, with the same effects: entity_create,
// entity_upsert_mentions, entity_set_keys, allocate_sequence with entity_add_events,
// entity_add_reviews, entity_unlink_stale, entity_link_records, entity_refresh_labels and
// analyst_drop_unlinked (see each of them for why). Each CALL sees the writes of the ones
// before it. A change to one of those statements must be made here too:
// tests/graph/test_neo4j_write_paths.py writes the same steps both ways and compares the
// graphs.
// $entities: list of {entity_id, kind}; $mentions: list of entity_upsert_mentions rows;
// $keys: list of {mention_id, keys} (keys hold no repeats); $events: list of {event,
// entity_id, other_entity_id, mention_ids, reason, decided_by}, numbered in order from
// the $event_sequence counter; $indexed_degree: as in entity_set_keys; $reviews: list of
// entity_add_reviews rows; $records: list of {source, source_id} whose RESOLVED_TO edges
// are redrawn, no repeats; $at: when the step was written (ISO 8601).
CALL () {
  UNWIND $entities AS row
  MERGE (e:Entity {entity_id: row.entity_id})
  ON CREATE SET e.kind = row.kind, e.created_at = $at
}
CALL () {
  UNWIND $mentions AS row
  CALL (row) {
    MERGE (m:Mention {mention_id: row.mention_id})
    ON CREATE SET m.source = row.source, m.source_id = row.source_id, m.slot = row.slot
    SET m.kind = row.kind, m.entity_id = row.entity_id, m.decision = row.decision, m.score = row.score,
        m.evidence = row.evidence, m.decided_by = row.decided_by, m.at = row.at,
        m.fields = row.fields
  }
}
CALL () {
  UNWIND $keys AS row
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
}
CALL () {
  UNWIND $keys AS row
  UNWIND row.keys AS key
  WITH DISTINCT key
  MATCH (k:BlockKey {key: key})
  WHERE k.indexed IS NULL AND COUNT { (k)<-[:KEYED]-() } > $indexed_degree
  SET k.indexed = true
  WITH k
  MATCH (k)<-[r:KEYED]-(m)
  SET r.key = k.key, r.kind = m.kind, r.mention_id = m.mention_id
}
CALL () {
  WITH size($events) AS count
  WHERE count > 0
  MERGE (c:Counter {name: $event_sequence})
  SET c.value = coalesce(c.value, 0) + count
  WITH c.value - count + 1 AS first, count
  UNWIND range(0, count - 1) AS n
  WITH first + n AS seq, $events[n] AS row
  CREATE (:EntityEvent {
    seq: seq, at: $at, event: row.event, entity_id: row.entity_id,
    other_entity_id: row.other_entity_id, mention_ids: row.mention_ids, reason: row.reason,
    decided_by: row.decided_by
  })
}
CALL () {
  UNWIND $reviews AS row
  MERGE (r:ReviewItem {review_id: row.review_id})
  ON CREATE SET r.kind = row.kind, r.left_mention = row.left_mention,
                r.right_mention = row.right_mention, r.probability = row.probability,
                r.reason = row.reason, r.evidence = row.evidence, r.state = row.state
}
CALL () {
  UNWIND $records AS key
  MATCH (r:SourceRecord {source: key.source, source_id: key.source_id})
        -[old:RESOLVED_TO]->(e:Entity)
  WHERE NOT EXISTS {
    MATCH (m:Mention {source: key.source, source_id: key.source_id})
    WHERE m.entity_id = e.entity_id
  }
  WITH old, e.entity_id AS dropped
  DELETE old
  RETURN collect(DISTINCT dropped) AS dropped
}
CALL () {
  UNWIND $records AS key
  MATCH (r:SourceRecord {source: key.source, source_id: key.source_id})
  MATCH (m:Mention {source: key.source, source_id: key.source_id})
  MATCH (e:Entity {entity_id: m.entity_id})
  WITH r, e, m ORDER BY m.mention_id
  WITH r, e, collect(m) AS mentions
  WITH r, e, mentions[0] AS m, [x IN mentions | x.mention_id] AS mention_ids
  MERGE (r)-[link:RESOLVED_TO]->(e)
  SET link.mention_id = m.mention_id, link.mention_ids = mention_ids, link.slot = m.slot,
      link.score = m.score, link.evidence = m.evidence, link.decided_by = m.decided_by,
      link.at = m.at, link.decision = m.decision
  RETURN collect(DISTINCT e.entity_id) AS linked
}
WITH [row IN $entities | row.entity_id] + dropped + linked AS touched
CALL (touched) {
  UNWIND touched AS id
  WITH DISTINCT id
  MATCH (e:Entity {entity_id: id})
  WITH e, CASE
      WHEN e.absorbed_into IS NOT NULL THEN 'AbsorbedEntity'
      WHEN NOT EXISTS { (e)<-[:RESOLVED_TO]-(:SourceRecord) } THEN 'UnlinkedEntity'
      WHEN e.kind = 'person' THEN 'Person'
      ELSE 'Enterprise'
    END AS state
  WHERE [l IN labels(e) WHERE l IN ['Person', 'Enterprise', 'UnlinkedEntity',
                                     'AbsorbedEntity']] <> [state]
  REMOVE e:Person:Enterprise:UnlinkedEntity:AbsorbedEntity
  FOREACH (_ IN CASE WHEN state = 'Person' THEN [1] ELSE [] END | SET e:Person)
  FOREACH (_ IN CASE WHEN state = 'Enterprise' THEN [1] ELSE [] END | SET e:Enterprise)
  FOREACH (_ IN CASE WHEN state = 'UnlinkedEntity' THEN [1] ELSE [] END |
           SET e:UnlinkedEntity)
  FOREACH (_ IN CASE WHEN state = 'AbsorbedEntity' THEN [1] ELSE [] END |
           SET e:AbsorbedEntity)
}
CALL (touched) {
  UNWIND touched AS id
  WITH DISTINCT id
  MATCH (e:Entity {entity_id: id})
  WHERE NOT (e:Person OR e:Enterprise)
  MATCH (e)-[r:PARTY_TO|SUBJECT_OF|LEGAL_REP_OF|SHAREHOLDER_OF|EMPLOYED_BY]-()
  DELETE r
}
