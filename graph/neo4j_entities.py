"""The Neo4j store's record of resolution: the `ResolutionStore` half of the port.

A mixin of `graph.neo4j_store.Neo4jStore`; it answers every query as the embedded store's
entity journal (`graph.entity_journal`) does on the same writes, ordering included.

The graph (every statement is a `cypher/entity_*.cypher` file):
- one node per entity id ever written, labelled `Entity` (unique `entity_id`, `kind`,
  `created_at`, `absorbed_into` once merged) plus one state label: `Person` /
  `Enterprise` while it is live and some source record resolves to it (the domain graph,
  counted as the embedded store counts its nodes), `UnlinkedEntity` while it is live with
  no record resolving to it, `AbsorbedEntity` once merged into another;
- `(SourceRecord)-[:RESOLVED_TO {mention_id, mention_ids, slot, score, evidence, decision,
  decided_by, at}]->(entity)`: one edge per (record, entity) pair, as the embedded store
  draws it, carrying the record's first mention resolved to that entity (evidence is a
  JSON string);
- bookkeeping, outside the domain graph: `(:Mention {mention_id, source, source_id, slot,
  kind, entity_id, decision, score, evidence, decided_by, at, fields})` per mention, its
  blocking keys as `(:Mention)-[:KEYED]->(:BlockKey {key})` (the BlockKey's degree counts
  them; on a key of more than INDEXED_KEY_DEGREE mentions, marked `indexed`, the edges carry
  copies of key, kind and mention_id, indexed as `keyed_candidates`, so its first
  candidates by mention id are read without reading the rest), the append-only
  `(:EntityEvent {seq, ...})` log, `(:ReviewItem)`, `(:ReviewerConstraint {seq, ...})`,
  and `(:ResolutionLock)`.

`write_resolution` is one managed write transaction: a small step without merges, moves
or reviewers' decisions (a record-by-record push) is one statement, `entity_write_step`;
any other step's rows go in chunks of `ENTITY_WRITE_CHUNK` per UNWIND statement, one
statement per part, and the transaction commits all of them or none. Links of mentions
the caller knows are new (`links_are_new`: most of a batch run's) are created with their
keys by one statement, `entity_create_mentions`, instead of merged and then re-keyed (a
small gain: most of the server's time is the commit; BENCHMARKS.md, "Batch resolution over
Neo4j").
Neo4j keeps an open transaction's changes on the server's heap, about 23 KB per new link
with six blocking keys, so one step is bounded by `dbms.memory.transaction.total.max`:
about 5,000 new links on the 256m server `wutong neo4j start` runs (indexing only the keys
of many mentions left it as it was: copies on every KEYED edge had nearly halved it,
BENCHMARKS.md). A step that outgrows
it inside the transaction fails at once with a StoreError; one that outgrows it only while
committing is retried by the driver before it fails.

`resolution_step` makes a record-by-record step one managed write transaction: the lock,
`step_context` (one statement for all it reads first), any further reads, the id
allocation and the write. Each store call is a round trip to the server, which is what a
push costs on a busy machine: a push that links or starts an entity makes 6 (BEGIN, lock,
context, members or id, write, COMMIT), where it made 21–22 before.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, LiteralString, TypeVar

from neo4j import READ_ACCESS, Driver, ManagedTransaction, Session, Transaction
from neo4j.exceptions import (
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from cypher.catalog import statement
from graph.chunks import chunked
from graph.entities import (
    Candidate,
    Decision,
    EntityEvent,
    EntityKind,
    EventType,
    MentionLink,
    ResolutionWrite,
    ReviewerConstraint,
    ReviewItem,
    ReviewState,
    StepContext,
)
from graph.entity_journal import ENTITY_PREFIX
from graph.errors import StoreError, StoreUnavailable
from graph.store import ResolutionStore

logger = logging.getLogger(__name__)

ENTITY_WRITE_CHUNK = 5000
"""Rows per UNWIND statement inside `write_resolution`'s one transaction."""

ONE_STATEMENT_ROWS = 100
"""Rows up to which a step without merges, moves or reviewers' decisions is written as one
statement (entity_write_step): a push has 2–4. Larger writes (batch resolution's) keep
the chunked statements, with which the transaction-memory bound above was measured."""

INDEXED_KEY_DEGREE = 50
"""Mentions a blocking key must exceed before its candidates are read from the
keyed_candidates index (cypher/entity_set_keys.cypher): the online resolver's limit per key
(`candidates_per_key`), so a key read the plain way has about as many mentions as the read
keeps. Any value gives the same candidates; only their cost depends on it. At 100k records
one KEYED edge in eight belongs to such a key (BENCHMARKS.md)."""
EVENT_SEQUENCE = "entity_event"
CONSTRAINT_SEQUENCE = "reviewer_constraint"
RESOLUTION_LOCK = "resolution"
MEMORY_POOL_FULL = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
_T = TypeVar("_T")


def entity_id_sequence(kind: EntityKind) -> str:
    """The counter entity ids of one kind are numbered from."""
    return f"entity_id:{kind.value}"


class Neo4jEntities(ResolutionStore):
    """Resolution half of the Neo4j store. The store sets `_driver` and `_database`."""

    _driver: Driver
    _database: str

    # --- the lock ---------------------------------------------------------------------

    def resolution_lock(self) -> AbstractContextManager[None]:
        """Serialises resolution steps across threads and processes.

        Threads of this process queue on a reentrant lock; the outermost holder then opens a
        transaction that write-locks the one `ResolutionLock` node and keeps it open until
        the step ends, then rolls it back (it never changes anything), so a step in another
        process, or another Neo4jStore, waits for it. The step's reads and writes run in
        their own transactions meanwhile: they touch other nodes, so they never wait on that
        lock. A holder that dies loses its connection, and Neo4j then releases its lock.
        (write_resolution's own transaction could not do this: the step's candidate reads
        happen before it, so two processes could both decide "new entity".)
        """
        return _lock_of(self)

    def resolution_step(self, step: Callable[[], _T]) -> _T:
        """One managed write transaction: it takes the lock node (as resolution_lock's
        transaction does), then `step` runs with this thread's reads and writes of this
        store inside it, and the transaction commits the step's write and releases the lock
        together. The driver runs it again from the start on a transient error (a deadlock
        with another writer, a lost leader), which the port allows."""
        return _lock_of(self).step(step)

    # --- writes -----------------------------------------------------------------------

    def allocate_entity_ids(self, kind: EntityKind, count: int) -> list[str]:
        first = self._entity_write(_allocate, entity_id_sequence(kind), count)
        prefix = ENTITY_PREFIX[kind]
        return [f"{prefix}{n:08d}" for n in range(first, first + count)]

    def write_resolution(self, change: ResolutionWrite) -> None:
        at = datetime.now(UTC).isoformat()
        self._entity_write(_write_resolution, change, at)

    # --- reads ------------------------------------------------------------------------

    def mention_candidates(self, kind: EntityKind, keys: Sequence[str], per_key: int
                           ) -> list[MentionLink]:
        if not keys:
            return []
        rows = self._entity_read(statement("entity_candidates"), keys=list(keys),
                                 kind=kind.value, per_key=per_key)
        rows.sort(key=lambda row: (row["i"], row["mention_id"]))
        found: dict[str, MentionLink] = {}
        for row in rows:
            if row["mention_id"] not in found:
                found[row["mention_id"]] = _link(row)
        return list(found.values())

    def step_context(self, kind: EntityKind, mention_id: str, keys: Sequence[str],
                     per_key: int, count_keys: Sequence[str]) -> StepContext:
        [row] = self._entity_read(statement("entity_step_context"), mention_id=mention_id,
                                  kind=kind.value, keys=list(keys), per_key=per_key,
                                  count_keys=list(count_keys))
        found: dict[str, Candidate] = {}
        for c in sorted(row["candidates"], key=lambda c: (c["i"], c["mention_id"])):
            if c["mention_id"] not in found:
                found[c["mention_id"]] = Candidate(
                    c["mention_id"], c["source"], c["source_id"], c["slot"],
                    EntityKind(c["kind"]), c["entity_id"], json.loads(c["fields"]))
        return StepContext(
            _link(row["link"]) if row["link"] is not None else None,
            tuple(_constraint(c) for c in row["constraints"]), tuple(found.values()),
            int(row["entity_total"]), {c["key"]: int(c["count"]) for c in row["key_counts"]})

    def key_count(self, key: str) -> int:
        return int(self._entity_read(statement("entity_key_count"), key=key)[0]["count"])

    def mention_total(self, kind: EntityKind) -> int:
        rows = self._entity_read(statement("entity_mention_total"), kind=kind.value)
        return int(rows[0]["count"])

    def entity_total(self, kind: EntityKind) -> int:
        return int(self._entity_read(statement("entity_total"), kind=kind.value)[0]["count"])

    def resolve_entity(self, entity_id: str) -> str | None:
        rows = self._entity_read(statement("entity_resolve"), entity_id=entity_id)
        return str(rows[0]["entity_id"]) if rows else None

    def entity_members(self, entity_id: str) -> list[MentionLink]:
        rows = self._entity_read(statement("entity_members"), entity_id=entity_id)
        return sorted((_link(row) for row in rows), key=lambda link: link.mention_id)

    def mention_link(self, mention_id: str) -> MentionLink | None:
        rows = self._entity_read(statement("entity_mention"), mention_id=mention_id)
        return _link(rows[0]) if rows else None

    def mention_assignments(self, kind: EntityKind) -> dict[str, str]:
        with _translated(), self._entity_session() as session:
            result = session.run(statement("entity_assignments"), kind=kind.value)
            return {str(row["mention_id"]): str(row["entity_id"]) for row in result}

    def entity_events(self, entity_id: str | None = None) -> list[EntityEvent]:
        if entity_id is None:
            rows = self._entity_read(statement("entity_events_all"))
        else:
            rows = self._entity_read(statement("entity_events_of"), entity_id=entity_id)
        return [EntityEvent(int(r["seq"]), datetime.fromisoformat(r["at"]),
                            EventType(r["event"]), r["entity_id"], r["other_entity_id"],
                            tuple(r["mention_ids"]), r["reason"], r["decided_by"])
                for r in rows]

    def review_items(self, state: ReviewState | None = ReviewState.OPEN, limit: int = 100,
                     offset: int = 0) -> list[ReviewItem]:
        if state is None:
            rows = self._entity_read(statement("entity_reviews_all"), limit=limit,
                                     offset=offset)
        else:
            rows = self._entity_read(statement("entity_reviews_in_state"), state=state.value,
                                     limit=limit, offset=offset)
        return [_review(row) for row in rows]

    def review_count(self, state: ReviewState = ReviewState.OPEN) -> int:
        rows = self._entity_read(statement("entity_review_count"), state=state.value)
        return int(rows[0]["count"])

    def review_item(self, review_id: str) -> ReviewItem | None:
        rows = self._entity_read(statement("entity_review"), review_id=review_id)
        return _review(rows[0]) if rows else None

    def reviewer_constraints(self) -> list[ReviewerConstraint]:
        return [_constraint(r) for r in self._entity_read(statement("entity_reviewer_constraints"))]

    # --- plumbing ---------------------------------------------------------------------

    def _entity_session(self) -> Session:
        return self._driver.session(database=self._database)

    def _entity_read(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        step = _lock_of(self).step_transaction()
        if step is not None:
            return _rows(step, query, params)
        return read_rows(self._driver, self._database, query, params)

    def _entity_write(self, work: Callable[..., _T], *args: Any) -> _T:
        step = _lock_of(self).step_transaction()
        if step is not None:
            return work(step, *args)
        with _translated(), self._entity_session() as session:
            return session.execute_write(work, *args)


def read_rows(driver: Driver, database: str, query: LiteralString, params: dict[str, Any],
              attempts: int = 3) -> list[dict[str, Any]]:
    """One read statement as an auto-commit transaction: one round trip to the server
    (RUN and PULL together), where a managed transaction takes three (BEGIN, RUN and PULL,
    COMMIT). A single statement is atomic on its own, and every read here is one statement.
    Errors the driver calls retryable are retried, as a managed transaction would be."""
    for attempt in range(1, attempts + 1):
        try:
            with _translated(), driver.session(database=database,
                                               default_access_mode=READ_ACCESS) as session:
                return [record.data() for record in session.run(query, params)]
        except (StoreError, StoreUnavailable) as exc:
            cause = exc.__cause__
            retryable = isinstance(cause, (DriverError, Neo4jError)) and cause.is_retryable()
            if not retryable or attempt == attempts:
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


# --- the lock -------------------------------------------------------------------------

_LOCK_SETUP = threading.Lock()


def _lock_of(store: Neo4jEntities) -> _ResolutionLock:
    """The store's lock, made on first use (Neo4jStore's constructor does not know it)."""
    lock: _ResolutionLock | None = store.__dict__.get("_resolution_lock")
    if lock is None:
        with _LOCK_SETUP:
            lock = store.__dict__.get("_resolution_lock")
            if lock is None:
                lock = _ResolutionLock(store)
                store.__dict__["_resolution_lock"] = lock
    return lock


class _ResolutionLock:
    """Reentrant in one thread; see `Neo4jEntities.resolution_lock`."""

    def __init__(self, store: Neo4jEntities) -> None:
        self._store = store
        self._local = threading.RLock()
        self._depth = 0  # guarded by _local
        self._session: Session | None = None
        self._transaction: Transaction | None = None
        self._node_made = False
        self._bound = threading.local()  # .tx: the step transaction of the thread in a step

    def __enter__(self) -> None:
        self._local.acquire()
        if self._depth == 0:
            try:
                self._take()
            except BaseException:
                self._local.release()
                raise
        self._depth += 1

    def __exit__(self, *exc: object) -> None:
        try:
            self._depth -= 1
            if self._depth == 0:
                self._give_back()
        finally:
            self._local.release()

    def step(self, work: Callable[[], _T]) -> _T:
        """`Neo4jEntities.resolution_step`: `work` inside one transaction holding the lock;
        inside a lock or step this thread already holds, `work` just runs."""
        with self._local:
            if self._depth > 0:
                self._depth += 1
                try:
                    return work()
                finally:
                    self._depth -= 1
            self._make_node()
            self._depth += 1
            try:
                with _translated(), self._store._entity_session() as session:
                    return session.execute_write(self._in_step, work)
            finally:
                self._depth -= 1

    def step_transaction(self) -> ManagedTransaction | None:
        """The transaction of the step this thread is running, if it is in one."""
        tx: ManagedTransaction | None = getattr(self._bound, "tx", None)
        return tx

    def _in_step(self, tx: ManagedTransaction, work: Callable[[], _T]) -> _T:
        tx.run(statement("entity_lock"), name=RESOLUTION_LOCK,
               at=datetime.now(UTC).isoformat()).consume()
        self._bound.tx = tx
        try:
            return work()
        finally:
            self._bound.tx = None

    def _make_node(self) -> None:
        if not self._node_made:
            self._store._entity_write(_rows, statement("entity_lock_node"),
                                      {"name": RESOLUTION_LOCK})
            self._node_made = True

    def _take(self) -> None:
        self._make_node()
        session = self._store._entity_session()
        try:
            with _translated():
                transaction = session.begin_transaction()
                transaction.run(statement("entity_lock"), name=RESOLUTION_LOCK,
                                at=datetime.now(UTC).isoformat()).consume()
        except BaseException:
            session.close()
            raise
        self._session, self._transaction = session, transaction

    def _give_back(self) -> None:
        session, transaction = self._session, self._transaction
        self._session = self._transaction = None
        try:
            if transaction is not None:
                transaction.rollback()  # nothing was meant to be kept: it only held the lock
        except (DriverError, Neo4jError) as exc:
            # The server rolls back a transaction whose connection is gone: the lock is
            # released either way.
            logger.warning("releasing the resolution lock: %s", exc)
        finally:
            if session is not None:
                session.close()


# --- transaction functions ------------------------------------------------------------

def _rows(tx: ManagedTransaction, query: LiteralString, params: dict[str, Any]
          ) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(query, params)]


def _allocate(tx: ManagedTransaction, name: str, count: int) -> int:
    first = tx.run(statement("allocate_sequence"), name=name, count=count).single()
    assert first is not None
    return int(first["first"])


def _run_chunked(tx: ManagedTransaction, query: LiteralString, rows: Iterable[Any],
                 name: str = "rows", **params: Any) -> list[dict[str, Any]]:
    """Run `query` over `rows` a chunk at a time, in order; the rows every chunk returned."""
    found: list[dict[str, Any]] = []
    for chunk in chunked(rows, ENTITY_WRITE_CHUNK):
        found.extend(record.data() for record in tx.run(query, {name: chunk, **params}))
    return found


def _write_resolution(tx: ManagedTransaction, change: ResolutionWrite, at: str) -> None:
    try:
        _apply(tx, change, at)
    except TransientError as exc:
        if exc.code != MEMORY_POOL_FULL:
            raise
        # Retrying cannot help a step that alone outgrows the pool: fail at once, clearly.
        raise StoreError(
            f"this resolution step ({len(change.links):,} links, "
            f"{sum(len(link.keys) for link in change.links):,} blocking keys) needs more "
            "transaction memory than the Neo4j server allows "
            "(dbms.memory.transaction.total.max); nothing of it was written") from exc


def _apply(tx: ManagedTransaction, change: ResolutionWrite, at: str) -> None:
    """Apply one step in the embedded journal's order: entities, links and their keys,
    merges, moves, events, reviews, decisions, constraints; then redraw the RESOLVED_TO
    edges of every record whose mentions changed, and relabel the entities concerned."""
    if _fits_one_statement(change):
        tx.run(statement("entity_write_step"), _step_parameters(change, at)).consume()
        return
    _run_chunked(tx, statement("entity_create"),
                 ({"entity_id": e, "kind": k.value} for e, k in change.new_entities), at=at)
    if change.links_are_new:
        _run_chunked(tx, statement("entity_create_mentions"), (
            {**_mention_row(link), "keys": list(dict.fromkeys(link.keys))}
            for link in change.links), indexed_degree=INDEXED_KEY_DEGREE)
    else:
        _run_chunked(tx, statement("entity_upsert_mentions"),
                     (_mention_row(link) for link in change.links))
        _run_chunked(tx, statement("entity_set_keys"), _key_rows(change.links),
                     indexed_degree=INDEXED_KEY_DEGREE)
    records: dict[tuple[str, str], None] = dict.fromkeys(
        (link.source, link.source_id) for link in change.links)
    moved = _run_chunked(tx, statement("entity_merge"),
                         ({"absorbed": a, "survivor": s} for a, s in change.merges))
    moved += _run_chunked(tx, statement("entity_move"),
                          ({"mention_id": m, "entity_id": e} for m, e in change.moves))
    records.update(dict.fromkeys((row["source"], row["source_id"]) for row in moved))
    if change.events:
        first = _allocate(tx, EVENT_SEQUENCE, len(change.events))
        _run_chunked(tx, statement("entity_add_events"), (
            {"seq": first + n, "event": event.value, "entity_id": entity,
             "other_entity_id": other, "mention_ids": list(mentions), "reason": reason,
             "decided_by": by}
            for n, (event, entity, other, mentions, reason, by) in enumerate(change.events)),
            at=at)
    _run_chunked(tx, statement("entity_add_reviews"), (_review_row(r) for r in change.reviews))
    _run_chunked(tx, statement("entity_decide_reviews"), (
        {"review_id": review_id, "state": state.value, "decided_by": by}
        for review_id, state, by in change.review_updates), at=at)
    if change.constraints:
        first = _allocate(tx, CONSTRAINT_SEQUENCE, len(change.constraints))
        _run_chunked(tx, statement("entity_add_constraints"), (
            {"seq": first + n, "left_mention": c.left_mention, "right_mention": c.right_mention,
             "merge": c.merge, "decided_by": c.decided_by, "at": c.at.isoformat()}
            for n, c in enumerate(change.constraints)))
    touched: dict[str, None] = dict.fromkeys(e for e, _ in change.new_entities)
    touched.update(dict.fromkeys(a for a, _ in change.merges))
    keys = [{"source": s, "source_id": i} for s, i in records]
    for row in _run_chunked(tx, statement("entity_unlink_stale"), keys, name="records"):
        touched.update(dict.fromkeys(row["dropped"]))
    for row in _run_chunked(tx, statement("entity_link_records"), keys, name="records"):
        touched.update(dict.fromkeys(row["linked"]))
    _run_chunked(tx, statement("entity_refresh_labels"), touched, name="entity_ids")
    _run_chunked(tx, statement("analyst_drop_unlinked"), touched, name="entity_ids")


def _fits_one_statement(change: ResolutionWrite) -> bool:
    return (not (change.merges or change.moves or change.review_updates or change.constraints
                 or change.links_are_new)
            and len(change.new_entities) + len(change.links) + len(change.events)
            + len(change.reviews) <= ONE_STATEMENT_ROWS)


def _step_parameters(change: ResolutionWrite, at: str) -> dict[str, Any]:
    """entity_write_step's parameters: the rows _apply's statements would take."""
    return {
        "entities": [{"entity_id": e, "kind": k.value} for e, k in change.new_entities],
        "mentions": [_mention_row(link) for link in change.links],
        "keys": list(_key_rows(change.links)),
        "indexed_degree": INDEXED_KEY_DEGREE,
        "event_sequence": EVENT_SEQUENCE,
        "events": [{"event": event.value, "entity_id": entity, "other_entity_id": other,
                    "mention_ids": list(mentions), "reason": reason, "decided_by": by}
                   for event, entity, other, mentions, reason, by in change.events],
        "reviews": [_review_row(r) for r in change.reviews],
        "records": [{"source": s, "source_id": i} for s, i in dict.fromkeys(
            (link.source, link.source_id) for link in change.links)],
        "at": at}


def _review_row(review: ReviewItem) -> dict[str, Any]:
    return {"review_id": review.review_id, "kind": review.kind.value,
            "left_mention": review.left_mention, "right_mention": review.right_mention,
            "probability": review.probability, "reason": review.reason,
            "evidence": _json(review.evidence), "state": review.state.value}


def _mention_row(link: MentionLink) -> dict[str, Any]:
    return {"mention_id": link.mention_id, "source": link.source, "source_id": link.source_id,
            "slot": link.slot, "kind": link.kind.value, "entity_id": link.entity_id,
            "decision": link.decision.value, "score": link.score,
            "evidence": _json(link.evidence), "decided_by": link.decided_by,
            "at": link.at.isoformat(), "fields": _json(link.fields)}


def _key_rows(links: Sequence[MentionLink]) -> Iterator[dict[str, Any]]:
    """Each written mention once, with its keys: all of them replaced, as the journal
    deletes a written mention's keys and then inserts the keys of every link written."""
    keys: dict[str, dict[str, None]] = {}
    for link in links:
        keys.setdefault(link.mention_id, {}).update(dict.fromkeys(link.keys))
    return ({"mention_id": m, "keys": list(k)} for m, k in keys.items())


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _link(row: dict[str, Any]) -> MentionLink:
    return MentionLink(
        mention_id=row["mention_id"], source=row["source"], source_id=row["source_id"],
        slot=row["slot"], kind=EntityKind(row["kind"]), entity_id=row["entity_id"],
        decision=Decision(row["decision"]), score=float(row["score"]),
        evidence=json.loads(row["evidence"]), decided_by=row["decided_by"],
        at=datetime.fromisoformat(row["at"]), fields=json.loads(row["fields"]))


def _constraint(row: dict[str, Any]) -> ReviewerConstraint:
    return ReviewerConstraint(row["left_mention"], row["right_mention"], bool(row["merge"]),
                              row["decided_by"], datetime.fromisoformat(row["at"]))


def _review(row: dict[str, Any]) -> ReviewItem:
    return ReviewItem(
        review_id=row["review_id"], kind=EntityKind(row["kind"]),
        left_mention=row["left_mention"], right_mention=row["right_mention"],
        probability=float(row["probability"]), reason=row["reason"],
        evidence=json.loads(row["evidence"]), state=ReviewState(row["state"]),
        decided_by=row["decided_by"],
        decided_at=datetime.fromisoformat(row["decided_at"]) if row["decided_at"] else None)


@contextmanager
def _translated() -> Iterator[None]:
    """Driver errors as the store's own, as `graph.neo4j_store` translates them."""
    try:
        yield
    except (ServiceUnavailable, SessionExpired) as exc:
        raise StoreUnavailable(f"Neo4j is not reachable: {exc}") from exc
    except Neo4jError as exc:
        raise StoreError(f"Neo4j query failed: {exc}") from exc
