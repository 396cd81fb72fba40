// An entity's network two hops out, with its cases and credit events.
// Set the parameter first:  :param entity_id => 'P00000019'
// (a Person or Enterprise id: `wutong clusters`, `wutong alerts` and the largest-conflict-clusters
// query name them).
MATCH (e {entity_id: $entity_id})
WHERE e:Person OR e:Enterprise
MATCH path = (e)-[:PARTY_TO|LEGAL_REP_OF|SHAREHOLDER_OF|EMPLOYED_BY|SUBJECT_OF*1..2]-(other)
RETURN path
LIMIT 300
