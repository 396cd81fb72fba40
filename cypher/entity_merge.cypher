// Merges of one resolution step, in order (each row's CALL sees the previous rows'
// changes): the absorbed entity's mentions move to the survivor, and the absorbed id, with
// every id it had absorbed before, now resolves to the survivor (one hop). Returns the
// records whose mentions moved, so their RESOLVED_TO edges can be redrawn.
// $rows: list of {absorbed, survivor}.
UNWIND $rows AS row
CALL (row) {
  CALL (row) {
    MATCH (m:Mention {entity_id: row.absorbed})
    SET m.entity_id = row.survivor
    RETURN collect({source: m.source, source_id: m.source_id}) AS records
  }
  CALL (row) {
    MATCH (e:Entity {absorbed_into: row.absorbed})
    SET e.absorbed_into = row.survivor
  }
  CALL (row) {
    MATCH (e:Entity {entity_id: row.absorbed})
    SET e.absorbed_into = row.survivor
  }
  RETURN records
}
UNWIND records AS record
RETURN DISTINCT record.source AS source, record.source_id AS source_id
