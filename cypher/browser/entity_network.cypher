// An entity's network two hops out, with its cases and credit events.
// Set the parameter first:  :param entity_id => 'P-000123'
// (a Person or Enterprise id; find one with the "where a resolved entity's records came from" query).
MATCH (e {entity_id: $entity_id})
WHERE e:Person OR e:Enterprise
MATCH path = (e)-[:PARTY_TO|LEGAL_REP_OF|SHAREHOLDER_OF|EMPLOYED_BY|SUBJECT_OF*1..2]-(other)
RETURN path
LIMIT 300
