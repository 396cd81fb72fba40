// Replacing the analyst graph, step 1: delete up to $limit of the domain edges an earlier
// refresh wrote (PARTY_TO, SUBJECT_OF, LEGAL_REP_OF, SHAREHOLDER_OF, EMPLOYED_BY,
// ESCALATED_TO). Run repeatedly, one transaction each, until it deletes none.
// Returns how many it deleted.
MATCH ()-[r:PARTY_TO|SUBJECT_OF|LEGAL_REP_OF|SHAREHOLDER_OF|EMPLOYED_BY|ESCALATED_TO]->()
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
