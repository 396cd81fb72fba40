// Record reviewers' decisions on queued pairs, in order.
// $rows: list of {review_id, state, decided_by}; $at: when (ISO 8601).
UNWIND $rows AS row
CALL (row) {
  MATCH (r:ReviewItem {review_id: row.review_id})
  SET r.state = row.state, r.decided_by = row.decided_by, r.decided_at = $at
}
