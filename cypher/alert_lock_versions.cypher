// Lock the given alerts for the rest of this write transaction and return what each was
// last updated at, so that a write expecting a version never overwrites a step another
// process took meanwhile. MERGE holds the id's uniqueness lock even for an alert not yet
// raised (its placeholder is rolled back with the transaction if the check fails), so two
// evaluations raising the same alert at once cannot both pass; SET takes the node's write
// lock when it exists.
// $alert_ids: list of alert ids; an id with no alert returns updated_at null.
UNWIND $alert_ids AS id
MERGE (a:Alert {alert_id: id})
SET a.alert_id = a.alert_id
RETURN a.alert_id AS alert_id, a.updated_at AS updated_at
