// The live entity an id stands for: itself, or the entity that absorbed it (one hop; a
// merge re-points every id the absorbed entity had absorbed). No row for an unknown id.
// $entity_id: the id.
MATCH (e:Entity {entity_id: $entity_id})
RETURN coalesce(e.absorbed_into, e.entity_id) AS entity_id
