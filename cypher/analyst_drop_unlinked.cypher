// Analyst graph between refreshes: an entity that is no longer a live, linked Person or
// Enterprise (merged away, or no record resolves to it) loses its analyst edges, as the
// embedded store drops it from its graph. Run after entity_refresh_labels.
// $entity_ids: ids whose state may have changed.
UNWIND $entity_ids AS id
MATCH (e:Entity {entity_id: id})
WHERE NOT (e:Person OR e:Enterprise)
MATCH (e)-[r:PARTY_TO|SUBJECT_OF|LEGAL_REP_OF|SHAREHOLDER_OF|EMPLOYED_BY]-()
DELETE r
