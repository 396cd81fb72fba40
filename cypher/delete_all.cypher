// Empty the database, in batches. Used by the test suite and benchmarks, never by the service.
// Hub nodes (departments) come last, when the nodes linked to them have taken their
// relationships along, so no batch has to delete a hub's thousands of relationships at once.
MATCH (n)
WITH n ORDER BY CASE WHEN n:Department OR n:Counter THEN 1 ELSE 0 END
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
