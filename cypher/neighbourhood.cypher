// Nodes of the domain graph within $hops (1 to 3) relationships of one node, each as its
// label and key (a department's code, an entity's id, otherwise "source:source_id").
// Parameters: $label, $source, $source_id (for a Department: $source is its code; for a
// Person or Enterprise: $source is its entity id), $hops.
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
  UNION
  MATCH (s:Person {entity_id: $source}) WHERE $label = 'Person' RETURN s
  UNION
  MATCH (s:Enterprise {entity_id: $source}) WHERE $label = 'Enterprise' RETURN s
}
MATCH path = (s)-[:FROM|DESCRIBES|HANDLED_BY|RESOLVED_TO|PARTY_TO|SUBJECT_OF|LEGAL_REP_OF
                   |SHAREHOLDER_OF|EMPLOYED_BY|ESCALATED_TO*1..3]-(other)
WHERE length(path) <= $hops AND other <> s
  AND (other:Department OR other:SourceRecord OR other:Case OR other:CreditEvent
       OR other:Person OR other:Enterprise)
WITH DISTINCT other
RETURN [l IN labels(other)
        WHERE l IN ['Department', 'SourceRecord', 'Case', 'CreditEvent', 'Person',
                    'Enterprise']][0] AS label,
       CASE WHEN other:Department THEN other.code
            WHEN other:Person OR other:Enterprise THEN other.entity_id
            ELSE other.source + ':' + other.source_id END AS key
