"""The Neo4j store: the same port as the embedded store, through the official driver.

Source records are `SourceRecord` nodes holding their latest version, payload included;
each superseded version is a `RecordVersion` node (bookkeeping, not part of the domain
graph), so a first load writes one node per record. Writes are batched with
`UNWIND $rows`, idempotent (`MERGE` on ids) and run as managed transactions, which the
driver retries on transient errors; `append_records` returns only after its transaction
committed. Every statement comes from `cypher/` by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, LiteralString, TypeVar

from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationDisabledClassification,
    Session,
)
from neo4j.exceptions import (
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from cypher.catalog import statement, statements
from graph.errors import StoreError, StoreUnavailable
from graph.neo4j_alerts import Neo4jAlerts
from graph.neo4j_analyst import Neo4jAnalyst
from graph.neo4j_entities import INDEXED_KEY_DEGREE, Neo4jEntities, read_rows
from graph.records import CanonicalRecord, RecordKind, parse_record_json
from graph.store import (
    AppendOutcome,
    NodeRef,
    ResolvingStore,
    StoreCounts,
    StoredRecord,
    check_hops,
)
from graph.vocabulary import DEPARTMENT_NAMES

RECORD_SEQUENCE = "record_seq"
KEYED_INDEX = "keyed_candidates"
"""The index the candidates of keys of many mentions are read from (cypher/schema.cypher);
a store without it was written before, and is migrated when opened."""
INDEX_WAIT_SECONDS = 3600
MIGRATION_BATCH = 10_000
"""Edges (or keys) per inner transaction of a migration, whatever the keys' sizes: at 1M
mentions a hundred keys of many mentions can hold close to a million edges, more than the
server's transaction memory limit (256m) allows."""
_T = TypeVar("_T")


class Neo4jStore(Neo4jEntities, Neo4jAlerts, Neo4jAnalyst, ResolvingStore):
    """Store backed by a Neo4j database. It owns the driver it is given and closes it."""

    def __init__(self, driver: Driver, database: str = "neo4j") -> None:
        self._driver = driver
        self._database = database
        # Sources a batch of this store has found records of: their batches look up the
        # stored hashes first. A batch of other sources is written without the lookup
        # (see `append_records`).
        self._sources_with_records: set[str] = set()

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str = "neo4j",
                max_retry_seconds: float = 30.0) -> Neo4jStore:
        """Connect, check the server answers, and apply the schema.

        `max_retry_seconds`: how long the driver retries a transaction that failed on a
        transient error or a lost server before the store raises StoreUnavailable.
        """
        try:
            driver = GraphDatabase.driver(
                uri, auth=(user, password), max_transaction_retry_time=max_retry_seconds,
                # A statement naming a label, relationship type or property key the database
                # has not seen yet (no alert or version written so far) is normal here, and
                # the server would say so for every run: thousands of warnings on stderr
                # during pushes. Other notifications (deprecations, performance) still come.
                notifications_disabled_classifications=[
                    NotificationDisabledClassification.UNRECOGNIZED],
            )
        except (ValueError, DriverError) as exc:
            raise StoreError(f"WUTONG_NEO4J_URI {uri!r} is not a Neo4j URI: {exc}") from exc
        store = cls(driver, database)
        try:
            driver.verify_connectivity()
            store.apply_schema()
        except (ServiceUnavailable, SessionExpired) as exc:
            driver.close()
            raise StoreUnavailable(
                f"Neo4j at {uri} does not answer ({exc}); start it with `wutong neo4j start` "
                "or set WUTONG_NEO4J_URI"
            ) from exc
        except (Neo4jError, DriverError) as exc:
            driver.close()
            raise StoreError(f"Neo4j at {uri} refused the connection: {exc}") from exc
        except StoreError:
            driver.close()
            raise
        return store

    def apply_schema(self) -> None:
        """Create constraints, indexes and department nodes; safe to repeat.

        What already exists is read first and only what is missing is written: a schema
        statement, even one that changes nothing, waits for running write transactions and
        holds new ones back, so a store opened in the middle of other processes' loads (one
        per worker in `loaders.pipeline.load_paths`) would stall them.

        A store without the `keyed_candidates` index (written by an earlier version) first
        has the KEYED edges of its keys of many mentions completed (`migrate_keyed_edges`),
        then those keys marked (`migrate_keyed_marks`), then waits for the new index to
        come online. Until a key is marked its candidates are read the earlier way, so
        nothing is missed meanwhile.
        """
        departments = {d.value: name for d, name in DEPARTMENT_NAMES.items()}
        with _translated_errors(), self._session() as session:
            existing = {row["name"] for row in session.run(statement("schema_names"))}
            if KEYED_INDEX not in existing:
                for step in ("migrate_keyed_edges", "migrate_keyed_marks"):
                    session.run(statement(step), indexed_degree=INDEXED_KEY_DEGREE,
                                batch=MIGRATION_BATCH).consume()
            for text in statements("schema"):
                if _schema_change_needed(text, existing):
                    session.run(text).consume()
            if KEYED_INDEX not in existing:
                session.run(statement("await_index"), name=KEYED_INDEX,
                            seconds=INDEX_WAIT_SECONDS).consume()
            session.run(statement("migrate_record_versions")).consume()
            stored = {row["code"]: row["name"] for row in session.run(
                statement("department_names"))}
        if stored != departments:
            self._write(_run, statement("ensure_departments"), {"departments": [
                {"code": code, "name": name} for code, name in departments.items()]})

    def append_records(self, records: Sequence[CanonicalRecord]) -> list[AppendOutcome]:
        if not records:
            return []
        # Hashing and serialising happen before the transaction, so the sequence lock is
        # held only while the server works.
        rows = []
        for r in records:
            content_hash, payload = r.hash_and_json()
            rows.append({"source": r.source.value, "source_id": r.source_id, "kind": r.kind,
                         "content_hash": content_hash, "payload": payload})
        received_at = datetime.now(UTC).isoformat()
        sources = {row["source"] for row in rows}
        outcomes: list[str] | None = None
        if sources.isdisjoint(self._sources_with_records):
            # A first load's keys are all new, and looking up their hashes costs the server
            # and the client about 20 µs per record. The uniqueness constraints make the
            # guess safe: a key that does exist fails the CREATE, the transaction rolls
            # back, and the batch runs again with the lookup, as every later batch of its
            # sources does. So at most one batch per source and store is written twice.
            try:
                outcomes = self._write(_append, rows, received_at, False)
            except _KeyExists:
                self._sources_with_records |= sources
            except StoreError as exc:
                # The same refusal, should the server report it only at commit.
                if not isinstance(exc.__cause__, ConstraintError):
                    raise
                self._sources_with_records |= sources
        if outcomes is None:
            outcomes = self._write(_append, rows, received_at, True)
        return [AppendOutcome(outcome) for outcome in outcomes]

    def get_record(self, source: str, source_id: str) -> StoredRecord | None:
        rows = self._read(statement("get_record"), source=source, source_id=source_id)
        return _stored(rows[0]) if rows else None

    def record_history(self, source: str, source_id: str) -> list[StoredRecord]:
        rows = self._read(statement("record_history"), source=source, source_id=source_id)
        return [_stored(row) for row in rows]

    def iter_records(
        self, kind: RecordKind | None = None, source: str | None = None
    ) -> Iterator[StoredRecord]:
        with _translated_errors(), self._session() as session:
            result = session.run(statement("iter_records"), kind=kind, source=source)
            for row in result:
                yield _stored(row.data())

    def neighbourhood(self, node: NodeRef, hops: int) -> set[NodeRef]:
        check_hops(hops)
        label, key = node
        source, _, source_id = key.partition(":")
        rows = self._read(statement("neighbourhood"), label=label, source=source,
                          source_id=source_id, hops=hops)
        return {(row["label"], row["key"]) for row in rows}

    def counts(self) -> StoreCounts:
        by_kind: dict[str, int] = {}
        by_source: dict[str, int] = {}
        for row in self._read(statement("count_records")):
            by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["count"]
            by_source[row["source"]] = by_source.get(row["source"], 0) + row["count"]
        versions = self._read(statement("count_record_versions"))[0]["count"]
        nodes = {r["label"]: r["count"] for r in self._read(statement("count_domain_nodes"))}
        edges = {r["type"]: r["count"] for r in self._read(statement("count_domain_edges"))}
        return StoreCounts(
            records_by_kind=by_kind, records_by_source=by_source, record_versions=versions,
            nodes_by_label={k: v for k, v in nodes.items() if v},
            edges_by_type={k: v for k, v in edges.items() if v},
        )

    def close(self) -> None:
        self._driver.close()

    def _session(self) -> Session:
        return self._driver.session(database=self._database)

    def _read(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        return read_rows(self._driver, self._database, query, params)

    def _write(self, work: Callable[..., _T], *args: Any) -> _T:
        """Run `work` in a managed write transaction (retried on transient errors)."""
        with _translated_errors(), self._session() as session:
            return session.execute_write(work, *args)


def delete_everything(store: Neo4jStore) -> None:
    """Empty the database, then re-apply the schema. Only for disposable servers: the
    test suite and the benchmarks call it, the service never does."""
    with _translated_errors(), store._session() as session:
        for name in ("delete_all_relationships", "delete_all_nodes"):
            session.run(statement(name)).consume()
    store.apply_schema()


@contextmanager
def _translated_errors() -> Iterator[None]:
    try:
        yield
    except (ServiceUnavailable, SessionExpired) as exc:
        raise StoreUnavailable(f"Neo4j is not reachable: {exc}") from exc
    except Neo4jError as exc:
        raise StoreError(f"Neo4j query failed: {exc}") from exc


_SCHEMA_STATEMENT = re.compile(
    r"^(CREATE|DROP)\s+(?:CONSTRAINT|INDEX)\s+(\w+)\s+IF\s+(?:NOT\s+)?EXISTS\b", re.IGNORECASE)


def _schema_change_needed(text: str, existing: set[str]) -> bool:
    """Whether a schema statement would change anything, given the names that exist.
    A statement this does not recognise is always run."""
    match = _SCHEMA_STATEMENT.match(text)
    if match is None:
        return True
    creates = match.group(1).upper() == "CREATE"
    return (match.group(2) in existing) != creates


def _run(
    tx: ManagedTransaction, query: LiteralString, params: dict[str, Any]
) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(query, params)]


class _KeyExists(Exception):
    """A batch written without looking up stored hashes met a key that is stored."""


def _append(
    tx: ManagedTransaction, rows: list[dict[str, Any]], received_at: str, look_up: bool,
) -> list[str]:
    """Decide each row's outcome against the stored hashes, then write new and changed rows.
    Returns the outcomes in order. With `look_up` false no key is looked up: every key is
    taken for new, and `_KeyExists` is raised (the transaction rolls back) if one is not.

    Reserving sequence numbers first locks the counter node until commit, so appends are
    serialised: no other writer can create one of these keys between the hash lookup and
    the CREATE. The guess without the lookup relies on that too: a key another writer
    created is committed before this CREATE runs, so the uniqueness constraint refuses it
    here, in the statement, and `_KeyExists` is raised; were appends not serialised, the
    refusal could come only at commit, which `append_records` also takes for a stored key.
    Rows are decided in order, so a key repeated inside the batch is compared with the
    version written just before it. (`rows` may be decided again if the driver retries
    the transaction, so they are not changed here.)
    """
    first = tx.run(statement("allocate_sequence"), name=RECORD_SEQUENCE, count=len(rows)).single()
    assert first is not None
    stored: dict[int, str] = {}
    if look_up:
        keys = [{"i": i, "source": r["source"], "source_id": r["source_id"]}
                for i, r in enumerate(rows)]
        found = tx.run(statement("latest_hashes"), keys=keys).single()
        assert found is not None
        stored = dict(found["known"])
    latest: dict[tuple[str, str], str] = {}
    created: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    outcomes: list[str] = []
    for offset, row in enumerate(rows):
        key = (row["source"], row["source_id"])
        previous = latest[key] if key in latest else stored.get(offset)
        if previous == row["content_hash"]:
            outcomes.append(AppendOutcome.DUPLICATE.value)
            continue
        latest[key] = row["content_hash"]
        if previous is None:
            outcomes.append(AppendOutcome.ACCEPTED.value)
            created.append(row | {"seq": first["first"] + offset})
        else:
            outcomes.append(AppendOutcome.NEW_VERSION.value)
            changed.append(row | {"seq": first["first"] + offset})
    if created:
        try:
            written = tx.run(statement("create_records"), rows=created,
                             received_at=received_at).single()
        except ConstraintError as exc:
            if look_up:
                raise
            raise _KeyExists(str(exc)) from exc
        if written is None or written["written"] != len(created):
            # A row whose department node is missing would vanish from the MATCH; failing
            # the transaction keeps the outcomes honest.
            raise StoreError(
                f"Neo4j wrote {written and written['written']} of {len(created)} new records; "
                "nothing from this batch was kept (are the Department nodes there?)"
            )
    for segment in _segments_without_repeated_keys(changed):
        tx.run(statement("add_record_versions"), rows=segment,
               received_at=received_at).consume()
    return outcomes


def _segments_without_repeated_keys(
    rows: list[dict[str, Any]],
) -> Iterator[list[dict[str, Any]]]:
    """Consecutive runs of rows in which no (source, source_id) appears twice.

    Within one UNWIND the order of updates to the same node is not something to rely
    on, so a key repeated in a batch goes to the next segment, run after the first in
    the same transaction.
    """
    segment: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (row["source"], row["source_id"])
        if key in seen:
            yield segment
            segment, seen = [], set()
        segment.append(row)
        seen.add(key)
    if segment:
        yield segment


def _stored(row: dict[str, Any]) -> StoredRecord:
    return StoredRecord(
        seq=int(row["seq"]), content_hash=row["content_hash"],
        received_at=datetime.fromisoformat(row["received_at"]),
        record=parse_record_json(row["payload"]),
    )
