// Relationships of the domain graph by type (bookkeeping VERSION_OF and KEYED excluded).
// RESOLVED_TO is one edge per (record, entity) pair, as in the embedded store's graph.
// Each count is its own subquery so that it comes from Neo4j's count store.
CALL () { MATCH ()-[e:FROM]->() RETURN count(e) AS from_edges }
CALL () { MATCH ()-[e:DESCRIBES]->() RETURN count(e) AS describes }
CALL () { MATCH ()-[e:HANDLED_BY]->() RETURN count(e) AS handled_by }
CALL () { MATCH ()-[e:RESOLVED_TO]->() RETURN count(e) AS resolved_to }
UNWIND [['FROM', from_edges], ['DESCRIBES', describes], ['HANDLED_BY', handled_by],
        ['RESOLVED_TO', resolved_to]] AS pair
RETURN pair[0] AS type, pair[1] AS count
