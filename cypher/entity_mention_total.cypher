// How many mentions of one kind are resolved. $kind: 'person' or 'enterprise'.
MATCH (m:Mention {kind: $kind})
RETURN count(m) AS count
