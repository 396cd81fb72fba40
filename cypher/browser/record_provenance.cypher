// Where a resolved entity's records came from: every source record, its department and
// the score and evidence of the match. Set  :param entity_id => 'P00000019'
MATCH (e {entity_id: $entity_id})<-[link:RESOLVED_TO]-(r:SourceRecord)-[:FROM]->(d:Department)
RETURN d.name AS department, r.source_id AS record, r.kind AS kind,
       link.score AS score, link.decided_by AS decided_by, link.at AS at
ORDER BY d.name, r.source_id
