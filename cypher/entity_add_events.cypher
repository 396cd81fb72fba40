// Append entity events (merged, split, created, ...). Events are only ever created, never
// changed; seq comes from the 'entity_event' counter (allocate_sequence) in the same
// transaction, so it orders the log.
// $rows: list of {seq, event, entity_id, other_entity_id, mention_ids, reason, decided_by};
// $at: when the step was written (ISO 8601).
UNWIND $rows AS row
CREATE (:EntityEvent {
  seq: row.seq, at: $at, event: row.event, entity_id: row.entity_id,
  other_entity_id: row.other_entity_id, mention_ids: row.mention_ids, reason: row.reason,
  decided_by: row.decided_by
})
