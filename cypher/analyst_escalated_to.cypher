// Analyst graph: (earlier:Case)-[:ESCALATED_TO]->(later:Case), the later case continuing
// the earlier one (found by the number it cites, in any department).
// $rows: list of {from_source, from_source_id, source, source_id}.
UNWIND $rows AS row
MATCH (earlier:Case {source: row.from_source, source_id: row.from_source_id})
MATCH (later:Case {source: row.source, source_id: row.source_id})
MERGE (earlier)-[:ESCALATED_TO]->(later)
