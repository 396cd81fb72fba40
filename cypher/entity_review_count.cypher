// How many review items are in one state. $state: open, merged or kept_apart.
MATCH (r:ReviewItem {state: $state})
RETURN count(r) AS count
