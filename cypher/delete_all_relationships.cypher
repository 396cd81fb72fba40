// First half of emptying a disposable database (tests, benchmarks; never the service):
// relationships in streamed batches, so no transaction holds a hub's thousands at once.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
