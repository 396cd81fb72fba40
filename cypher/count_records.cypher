// Latest source records by kind and by source, for status and reconciliation.
MATCH (r:SourceRecord)
RETURN r.kind AS kind, r.source AS source, count(*) AS count
