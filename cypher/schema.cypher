// Constraints and indexes of the Wutong graph, applied idempotently when the store opens.
// Each statement ends with ';'. Every id is unique; every lookup the code makes has an index.
CREATE CONSTRAINT department_code IF NOT EXISTS
FOR (d:Department) REQUIRE d.code IS UNIQUE;
CREATE CONSTRAINT source_record_key IF NOT EXISTS
FOR (r:SourceRecord) REQUIRE (r.source, r.source_id) IS UNIQUE;
CREATE CONSTRAINT record_version_seq IF NOT EXISTS
FOR (v:RecordVersion) REQUIRE v.seq IS UNIQUE;
CREATE CONSTRAINT case_key IF NOT EXISTS
FOR (c:Case) REQUIRE (c.source, c.source_id) IS UNIQUE;
CREATE CONSTRAINT credit_event_key IF NOT EXISTS
FOR (e:CreditEvent) REQUIRE (e.source, e.source_id) IS UNIQUE;
CREATE CONSTRAINT counter_name IF NOT EXISTS
FOR (c:Counter) REQUIRE c.name IS UNIQUE;
CREATE INDEX record_version_key IF NOT EXISTS
FOR (v:RecordVersion) ON (v.source, v.source_id);
// iter_records reads source records in seq order from this index.
CREATE INDEX source_record_seq IF NOT EXISTS
FOR (r:SourceRecord) ON (r.seq);
// No index on SourceRecord.kind: iter_records filters kind while reading the seq index in
// order, and a five-valued index only cost every load an index update. Stores that have
// it lose it here.
DROP INDEX source_record_kind IF EXISTS;
// Resolved entities (graph/neo4j_entities.py). Entity is on every entity id ever written;
// Person / Enterprise mark the live ones records resolve to (the domain graph). Mention,
// BlockKey, EntityEvent, ReviewItem, ReviewerConstraint and ResolutionLock are bookkeeping.
CREATE CONSTRAINT entity_id IF NOT EXISTS
FOR (e:Entity) REQUIRE e.entity_id IS UNIQUE;
CREATE INDEX entity_absorbed_into IF NOT EXISTS
FOR (e:Entity) ON (e.absorbed_into);
CREATE INDEX person_entity_id IF NOT EXISTS
FOR (p:Person) ON (p.entity_id);
CREATE INDEX enterprise_entity_id IF NOT EXISTS
FOR (e:Enterprise) ON (e.entity_id);
CREATE CONSTRAINT mention_id IF NOT EXISTS
FOR (m:Mention) REQUIRE m.mention_id IS UNIQUE;
CREATE INDEX mention_entity IF NOT EXISTS
FOR (m:Mention) ON (m.entity_id);
CREATE INDEX mention_record IF NOT EXISTS
FOR (m:Mention) ON (m.source, m.source_id);
CREATE INDEX mention_kind IF NOT EXISTS
FOR (m:Mention) ON (m.kind);
CREATE CONSTRAINT block_key IF NOT EXISTS
FOR (k:BlockKey) REQUIRE k.key IS UNIQUE;
// Candidates (entity_candidates) of a key marked indexed (more than INDEXED_KEY_DEGREE
// mentions; only its KEYED edges carry these properties): the first mentions of the key
// and kind by mention_id, read from this index in its order, so a key carried by thousands
// of mentions costs $per_key edges. Opening a store written before marks its keys first
// (migrate_keyed_edges), then creates the index and waits for it.
CREATE INDEX keyed_candidates IF NOT EXISTS
FOR ()-[r:KEYED]-() ON (r.key, r.kind, r.mention_id);
CREATE CONSTRAINT entity_event_seq IF NOT EXISTS
FOR (e:EntityEvent) REQUIRE e.seq IS UNIQUE;
CREATE INDEX entity_event_entity IF NOT EXISTS
FOR (e:EntityEvent) ON (e.entity_id);
CREATE INDEX entity_event_other IF NOT EXISTS
FOR (e:EntityEvent) ON (e.other_entity_id);
CREATE CONSTRAINT review_item_id IF NOT EXISTS
FOR (r:ReviewItem) REQUIRE r.review_id IS UNIQUE;
CREATE INDEX review_item_state IF NOT EXISTS
FOR (r:ReviewItem) ON (r.state);
CREATE CONSTRAINT reviewer_constraint_seq IF NOT EXISTS
FOR (c:ReviewerConstraint) REQUIRE c.seq IS UNIQUE;
CREATE CONSTRAINT resolution_lock_name IF NOT EXISTS
FOR (l:ResolutionLock) REQUIRE l.name IS UNIQUE;
CREATE CONSTRAINT alert_id IF NOT EXISTS
FOR (a:Alert) REQUIRE a.alert_id IS UNIQUE;
CREATE INDEX alert_cause IF NOT EXISTS
FOR (a:Alert) ON (a.rule, a.cause);
CREATE INDEX alert_state IF NOT EXISTS
FOR (a:Alert) ON (a.state);
