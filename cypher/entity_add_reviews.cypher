// Queue pairs for a reviewer. A pair already queued (same review_id) is left as it is.
// $rows: list of {review_id, kind, left_mention, right_mention, probability, reason,
// evidence (JSON), state}.
UNWIND $rows AS row
MERGE (r:ReviewItem {review_id: row.review_id})
ON CREATE SET r.kind = row.kind, r.left_mention = row.left_mention,
              r.right_mention = row.right_mention, r.probability = row.probability,
              r.reason = row.reason, r.evidence = row.evidence, r.state = row.state
