// How many cases each department handles. Works before resolution too.
MATCH (c:Case)-[:HANDLED_BY]->(d:Department)
RETURN d.name AS department, count(c) AS cases
ORDER BY cases DESC
