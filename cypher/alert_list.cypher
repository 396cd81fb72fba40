// Alerts matching every filter that is not null, most urgent first.
// $state, $rule, $level, $entity (each may be null); $limit, $offset: the page.
MATCH (a:Alert)
WHERE ($state IS NULL OR a.state = $state)
  AND ($rule IS NULL OR a.rule = $rule)
  AND ($level IS NULL OR a.level = $level)
  AND ($entity IS NULL OR $entity IN a.entities)
RETURN a.payload AS payload
ORDER BY a.level_rank DESC, a.updated_at DESC, a.alert_id
SKIP $offset LIMIT $limit
