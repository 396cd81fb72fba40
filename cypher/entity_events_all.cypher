// The whole entity event log, in order.
MATCH (e:EntityEvent)
RETURN e.seq AS seq, e.at AS at, e.event AS event, e.entity_id AS entity_id,
       e.other_entity_id AS other_entity_id, e.mention_ids AS mention_ids,
       e.reason AS reason, e.decided_by AS decided_by
ORDER BY seq
