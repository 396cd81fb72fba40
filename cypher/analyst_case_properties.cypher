// Analyst graph: set properties on Case nodes (channel, category, state, filed_on,
// closed_on, amount, cause; a null value removes the property).
// $rows: list of {source, source_id, props}.
UNWIND $rows AS row
MATCH (c:Case {source: row.source, source_id: row.source_id})
SET c += row.props
