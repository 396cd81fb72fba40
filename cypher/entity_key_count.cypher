// How many resolved mentions carry one blocking key (a degree lookup on its BlockKey).
// $key: the key.
OPTIONAL MATCH (k:BlockKey {key: $key})
RETURN CASE WHEN k IS NULL THEN 0 ELSE COUNT { (k)<-[:KEYED]-(:Mention) } END AS count
