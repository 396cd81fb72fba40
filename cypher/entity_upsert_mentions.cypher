// Where mentions resolved to: one Mention node per mention (bookkeeping, not domain
// graph), holding what RESOLVED_TO shows plus the resolver fields it was resolved on.
// A known mention keeps its record and slot and takes the new decision and kind (a newer
// version of a record may turn a party from a person into an enterprise). Rows are
// applied in order (each CALL sees the previous one), so a mention given twice ends with
// the last decision.
// $rows: list of {mention_id, source, source_id, slot, kind, entity_id, decision, score,
// evidence (JSON), decided_by, at (ISO 8601), fields (JSON)}.
UNWIND $rows AS row
CALL (row) {
  MERGE (m:Mention {mention_id: row.mention_id})
  ON CREATE SET m.source = row.source, m.source_id = row.source_id, m.slot = row.slot
  SET m.kind = row.kind, m.entity_id = row.entity_id, m.decision = row.decision, m.score = row.score,
      m.evidence = row.evidence, m.decided_by = row.decided_by, m.at = row.at,
      m.fields = row.fields
}
