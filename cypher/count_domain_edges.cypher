// Relationships of the domain graph by type (bookkeeping VERSION_OF excluded).
MATCH ()-[e:FROM]->() RETURN 'FROM' AS type, count(e) AS count
UNION ALL
MATCH ()-[e:DESCRIBES]->() RETURN 'DESCRIBES' AS type, count(e) AS count
UNION ALL
MATCH ()-[e:HANDLED_BY]->() RETURN 'HANDLED_BY' AS type, count(e) AS count
