// Empty the database, in batches. Used by the test suite between tests; never by the service.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
