// Number of relationships in the database (answered from the count store, no scan).
MATCH ()-[r]->()
RETURN count(r) AS count
