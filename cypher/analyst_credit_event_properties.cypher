// Analyst graph: set properties on CreditEvent nodes (event_type, starts_on, expires_on,
// case_number; a null value removes the property).
// $rows: list of {source, source_id, props}.
UNWIND $rows AS row
MATCH (e:CreditEvent {source: row.source, source_id: row.source_id})
SET e += row.props
