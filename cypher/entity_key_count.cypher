// How many resolved mentions carry one blocking key: a degree lookup on its BlockKey (only
// mentions have KEYED edges; naming the Mention label would read every one of them).
// $key: the key.
OPTIONAL MATCH (k:BlockKey {key: $key})
RETURN CASE WHEN k IS NULL THEN 0 ELSE COUNT { (k)<-[:KEYED]-() } END AS count
