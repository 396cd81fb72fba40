// Analyst graph: (Person)-[:LEGAL_REP_OF|SHAREHOLDER_OF|EMPLOYED_BY {starts_on, ends_on}]
// ->(Enterprise), one per person, type and enterprise.
// $rows: list of {person, enterprise, type, starts_on, ends_on}.
UNWIND $rows AS row
MATCH (p:Person {entity_id: row.person})
MATCH (e:Enterprise {entity_id: row.enterprise})
FOREACH (_ IN CASE WHEN row.type = 'LEGAL_REP_OF' THEN [1] ELSE [] END |
  MERGE (p)-[r:LEGAL_REP_OF]->(e) SET r.starts_on = row.starts_on, r.ends_on = row.ends_on)
FOREACH (_ IN CASE WHEN row.type = 'SHAREHOLDER_OF' THEN [1] ELSE [] END |
  MERGE (p)-[r:SHAREHOLDER_OF]->(e) SET r.starts_on = row.starts_on, r.ends_on = row.ends_on)
FOREACH (_ IN CASE WHEN row.type = 'EMPLOYED_BY' THEN [1] ELSE [] END |
  MERGE (p)-[r:EMPLOYED_BY]->(e) SET r.starts_on = row.starts_on, r.ends_on = row.ends_on)
