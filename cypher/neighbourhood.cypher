// Nodes of the domain graph within $hops (1 to 3) relationships of one node, each as its
// label and key (a department's code, otherwise "source:source_id").
// Parameters: $label, $source, $source_id (for a Department: $source is its code), $hops.
CALL () {
  MATCH (s:Department {code: $source}) WHERE $label = 'Department' RETURN s
  UNION
  MATCH (s:SourceRecord {source: $source, source_id: $source_id})
  WHERE $label = 'SourceRecord' RETURN s
  UNION
  MATCH (s:Case {source: $source, source_id: $source_id}) WHERE $label = 'Case' RETURN s
  UNION
  MATCH (s:CreditEvent {source: $source, source_id: $source_id})
  WHERE $label = 'CreditEvent' RETURN s
}
MATCH path = (s)-[:FROM|DESCRIBES|HANDLED_BY*1..3]-(other)
WHERE length(path) <= $hops AND other <> s
WITH DISTINCT other
RETURN [l IN labels(other) WHERE l IN ['Department', 'SourceRecord', 'Case', 'CreditEvent']][0]
         AS label,
       CASE WHEN other:Department THEN other.code
            ELSE other.source + ':' + other.source_id END AS key
