// Nodes of the domain graph by label (bookkeeping labels RecordVersion and Counter excluded).
// Each count comes from Neo4j's count store, so this stays fast on large graphs.
MATCH (n:Department) RETURN 'Department' AS label, count(n) AS count
UNION ALL
MATCH (n:SourceRecord) RETURN 'SourceRecord' AS label, count(n) AS count
UNION ALL
MATCH (n:Case) RETURN 'Case' AS label, count(n) AS count
UNION ALL
MATCH (n:CreditEvent) RETURN 'CreditEvent' AS label, count(n) AS count
