// Nodes of the domain graph by label (bookkeeping labels RecordVersion, Counter, Entity,
// UnlinkedEntity, AbsorbedEntity, Mention, BlockKey, EntityEvent, ReviewItem,
// ReviewerConstraint and ResolutionLock excluded). Person and Enterprise are the live
// entities some source record resolves to, as in the embedded store's graph.
// Each count is its own subquery so that it comes from Neo4j's count store (a UNION of
// counts would scan every label), and this stays fast on large graphs.
CALL () { MATCH (n:Department) RETURN count(n) AS departments }
CALL () { MATCH (n:SourceRecord) RETURN count(n) AS records }
CALL () { MATCH (n:Case) RETURN count(n) AS cases }
CALL () { MATCH (n:CreditEvent) RETURN count(n) AS credit_events }
CALL () { MATCH (n:Person) RETURN count(n) AS people }
CALL () { MATCH (n:Enterprise) RETURN count(n) AS enterprises }
UNWIND [['Department', departments], ['SourceRecord', records], ['Case', cases],
        ['CreditEvent', credit_events], ['Person', people], ['Enterprise', enterprises]]
  AS pair
RETURN pair[0] AS label, pair[1] AS count
