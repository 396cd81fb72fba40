// Give entities the one state label that says what they are now (Entity stays on all):
//   Person / Enterprise  live, and at least one source record RESOLVED_TO it (the domain
//                        graph, drawn as the embedded store draws it);
//   UnlinkedEntity       live, but no record resolves to it (e.g. all its mentions moved);
//   AbsorbedEntity       merged into absorbed_into.
// An entity whose label is already right is not touched.
// $entity_ids: ids whose edges or state may have changed.
UNWIND $entity_ids AS id
MATCH (e:Entity {entity_id: id})
WITH e, CASE
    WHEN e.absorbed_into IS NOT NULL THEN 'AbsorbedEntity'
    WHEN NOT EXISTS { (e)<-[:RESOLVED_TO]-(:SourceRecord) } THEN 'UnlinkedEntity'
    WHEN e.kind = 'person' THEN 'Person'
    ELSE 'Enterprise'
  END AS state
WHERE [l IN labels(e) WHERE l IN ['Person', 'Enterprise', 'UnlinkedEntity', 'AbsorbedEntity']]
      <> [state]
REMOVE e:Person:Enterprise:UnlinkedEntity:AbsorbedEntity
FOREACH (_ IN CASE WHEN state = 'Person' THEN [1] ELSE [] END | SET e:Person)
FOREACH (_ IN CASE WHEN state = 'Enterprise' THEN [1] ELSE [] END | SET e:Enterprise)
FOREACH (_ IN CASE WHEN state = 'UnlinkedEntity' THEN [1] ELSE [] END | SET e:UnlinkedEntity)
FOREACH (_ IN CASE WHEN state = 'AbsorbedEntity' THEN [1] ELSE [] END | SET e:AbsorbedEntity)
