// mention id → entity id for every resolved mention of one kind. $kind: the kind.
MATCH (m:Mention {kind: $kind})
RETURN m.mention_id AS mention_id, m.entity_id AS entity_id
