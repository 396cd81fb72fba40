// Lock the given alerts for the rest of this write transaction and return what each was
// last updated at, so that a write expecting a version never overwrites a step another
// process took meanwhile (setting a property takes the node's write lock, even unchanged).
// $alert_ids: list of alert ids; ids with no alert return no row.
UNWIND $alert_ids AS id
MATCH (a:Alert {alert_id: id})
SET a.alert_id = a.alert_id
RETURN a.alert_id AS alert_id, a.updated_at AS updated_at
