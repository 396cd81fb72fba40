// New entity ids of one resolution step: one Entity node each (bookkeeping label shared by
// every entity id ever written; unique on entity_id). An id written twice keeps its first
// kind and creation time, as a retried or repeated step must not change it. The labels
// that say what the entity is now (Person, Enterprise, UnlinkedEntity, AbsorbedEntity) are
// set at the end of the step by entity_refresh_labels.
// $rows: list of {entity_id, kind}; $at: when the step was written (ISO 8601).
UNWIND $rows AS row
MERGE (e:Entity {entity_id: row.entity_id})
ON CREATE SET e.kind = row.kind, e.created_at = $at
