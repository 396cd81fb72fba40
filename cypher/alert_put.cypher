// Insert or replace alerts by id; each is linked ABOUT the entities it names.
// $rows: [{alert_id, rule, cause, state, level, level_rank, updated_at, entities, cases,
//          payload}]
UNWIND $rows AS row
MERGE (a:Alert {alert_id: row.alert_id})
SET a.rule = row.rule, a.cause = row.cause, a.state = row.state, a.level = row.level,
    a.level_rank = row.level_rank, a.updated_at = row.updated_at, a.entities = row.entities,
    a.cases = row.cases,
    a.payload = row.payload
WITH a, row
CALL (a) {
  MATCH (a)-[old:ABOUT]->()
  DELETE old
}
WITH a, row
UNWIND row.entities AS entity_id
MATCH (e:Entity {entity_id: entity_id})
MERGE (a)-[:ABOUT]->(e)
