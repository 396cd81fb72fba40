// The entity events naming one entity, as the entity or as the other entity, in order.
// $entity_id: the entity.
CALL () {
  MATCH (e:EntityEvent {entity_id: $entity_id}) RETURN e
  UNION
  MATCH (e:EntityEvent {other_entity_id: $entity_id}) RETURN e
}
RETURN e.seq AS seq, e.at AS at, e.event AS event, e.entity_id AS entity_id,
       e.other_entity_id AS other_entity_id, e.mention_ids AS mention_ids,
       e.reason AS reason, e.decided_by AS decided_by
ORDER BY seq
