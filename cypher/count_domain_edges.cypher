// Relationships of the domain graph by type (bookkeeping VERSION_OF and KEYED excluded).
// RESOLVED_TO is one edge per (record, entity) pair, as in the embedded store's graph;
// PARTY_TO, SUBJECT_OF, LEGAL_REP_OF, SHAREHOLDER_OF, EMPLOYED_BY and ESCALATED_TO are the
// analyst graph (graph/analyst_model.py), as the last refresh wrote it.
// Each count is its own subquery so that it comes from Neo4j's count store.
CALL () { MATCH ()-[e:FROM]->() RETURN count(e) AS from_edges }
CALL () { MATCH ()-[e:DESCRIBES]->() RETURN count(e) AS describes }
CALL () { MATCH ()-[e:HANDLED_BY]->() RETURN count(e) AS handled_by }
CALL () { MATCH ()-[e:RESOLVED_TO]->() RETURN count(e) AS resolved_to }
CALL () { MATCH ()-[e:PARTY_TO]->() RETURN count(e) AS party_to }
CALL () { MATCH ()-[e:SUBJECT_OF]->() RETURN count(e) AS subject_of }
CALL () { MATCH ()-[e:LEGAL_REP_OF]->() RETURN count(e) AS legal_rep_of }
CALL () { MATCH ()-[e:SHAREHOLDER_OF]->() RETURN count(e) AS shareholder_of }
CALL () { MATCH ()-[e:EMPLOYED_BY]->() RETURN count(e) AS employed_by }
CALL () { MATCH ()-[e:ESCALATED_TO]->() RETURN count(e) AS escalated_to }
UNWIND [['FROM', from_edges], ['DESCRIBES', describes], ['HANDLED_BY', handled_by],
        ['RESOLVED_TO', resolved_to], ['PARTY_TO', party_to], ['SUBJECT_OF', subject_of],
        ['LEGAL_REP_OF', legal_rep_of], ['SHAREHOLDER_OF', shareholder_of],
        ['EMPLOYED_BY', employed_by], ['ESCALATED_TO', escalated_to]] AS pair
RETURN pair[0] AS type, pair[1] AS count
