// Second half of redrawing the RESOLVED_TO edges of some source records: one edge from a
// record to each entity its mentions resolve to (as the embedded store draws it), carrying
// the score, evidence (JSON), decision, who decided and when, of the record's first
// mention (by mention_id) resolved to that entity; mention_ids lists them all (a case
// naming one person in two roles has two). A record or entity missing from the graph gets
// no edge. Returns the entity ids that have an edge from these records.
// $records: list of {source, source_id}, no repeats.
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
