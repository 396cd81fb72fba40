// The review items in one state, by review_id. $state; $limit, $offset: the page.
MATCH (r:ReviewItem {state: $state})
RETURN r.review_id AS review_id, r.kind AS kind, r.left_mention AS left_mention,
       r.right_mention AS right_mention, r.probability AS probability, r.reason AS reason,
       r.evidence AS evidence, r.state AS state, r.decided_by AS decided_by,
       r.decided_at AS decided_at
ORDER BY review_id
SKIP $offset LIMIT $limit
