// Mentions moved to another entity (a split), in order. Returns the records whose
// RESOLVED_TO edges must be redrawn.
// $rows: list of {mention_id, entity_id}.
UNWIND $rows AS row
CALL (row) {
  MATCH (m:Mention {mention_id: row.mention_id})
  SET m.entity_id = row.entity_id
  RETURN m.source AS source, m.source_id AS source_id
}
RETURN DISTINCT source, source_id
