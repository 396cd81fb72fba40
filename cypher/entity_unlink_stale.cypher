// First half of redrawing the RESOLVED_TO edges of some source records: drop each edge to
// an entity that none of the record's mentions resolves to any more. Returns the entity
// ids that lost an edge (their labels are refreshed afterwards).
// $records: list of {source, source_id}.
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
