// Number of nodes in the database (answered from the count store, no scan).
MATCH (n)
RETURN count(n) AS count
