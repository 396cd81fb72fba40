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
CREATE INDEX source_record_seq IF NOT EXISTS
FOR (r:SourceRecord) ON (r.seq);
CREATE INDEX source_record_kind IF NOT EXISTS
FOR (r:SourceRecord) ON (r.kind);
