// Second half of emptying a disposable database: the nodes, now without relationships.
MATCH (n)
CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS
