"""The embedded store's record of resolution: one SQLite file beside the record journal.

Each `write` is one transaction: the links, new entities, merges, events and review items
of one resolution step land together or not at all. Events are only ever inserted, never
updated or deleted.

Unlike the record journal (synchronous=FULL: an acknowledged record survives even a power
cut), this file commits with synchronous=NORMAL in WAL mode: a crashed or killed process
loses nothing, and a power cut can lose only the last resolution steps, which are derived
from the records and redone by the next `wutong resolve`. That saves an fsync on every
push, which was most of the time a record-by-record resolution took.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.entities import (
    Decision,
    EntityEvent,
    EntityKind,
    EventType,
    MentionLink,
    ResolutionWrite,
    ReviewerConstraint,
    ReviewItem,
    ReviewState,
)
from graph.errors import StoreError
from graph.forking import fork_safe
from graph.sqlite_files import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entity (
    entity_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    absorbed_into TEXT,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mention (
    mention_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    slot TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    at TEXT NOT NULL,
    fields TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mention_entity ON mention(entity_id);
CREATE INDEX IF NOT EXISTS mention_record ON mention(source, source_id);
CREATE TABLE IF NOT EXISTS mention_key (
    key TEXT NOT NULL,
    mention_id TEXT NOT NULL,
    PRIMARY KEY (key, mention_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mention_key_by_mention ON mention_key(mention_id);
CREATE TABLE IF NOT EXISTS event (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    other_entity_id TEXT,
    mention_ids TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_entity ON event(entity_id);
CREATE INDEX IF NOT EXISTS event_other ON event(other_entity_id);
CREATE TABLE IF NOT EXISTS review (
    review_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    left_mention TEXT NOT NULL,
    right_mention TEXT NOT NULL,
    probability REAL NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL,
    state TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS review_state ON review(state);
CREATE TABLE IF NOT EXISTS reviewer_constraint (
    left_mention TEXT NOT NULL,
    right_mention TEXT NOT NULL,
    merge INTEGER NOT NULL,
    decided_by TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS live_entities (
    kind TEXT PRIMARY KEY,
    count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS id_counter (
    kind TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
"""

ENTITY_PREFIX = {EntityKind.PERSON: "P", EntityKind.ENTERPRISE: "E"}


class EntityJournal:
    def __init__(self, path: Path) -> None:
        self._db = open_database(path, _SCHEMA, synchronous="NORMAL", error=StoreError,
                                 what="the entity journal")
        try:
            # Checkpoints (which do fsync) run on a background thread, not inside a push.
            self._db.execute("PRAGMA wal_autocheckpoint=0")
            self._count_live_entities_once()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the entity journal at {path}: {exc}") from exc
        self.path = path
        self._closed = threading.Event()
        # Marked fork-safe: it holds only its own connection, which no forked child uses,
        # so store resolution still splits its work over forked children.
        self._checkpointer = fork_safe(threading.Thread(
            target=self._checkpoint_every, args=(2.0,), name="entity-journal-checkpoint",
            daemon=True))
        self._checkpointer.start()

    def _checkpoint_every(self, seconds: float) -> None:
        checkpoints = sqlite3.connect(self.path, timeout=30.0)
        try:
            while not self._closed.wait(seconds):
                with contextlib.suppress(sqlite3.Error):  # busy now: next time
                    checkpoints.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            with contextlib.suppress(sqlite3.Error):
                checkpoints.execute("PRAGMA wal_checkpoint(PASSIVE)")
            checkpoints.close()

    def _count_live_entities_once(self) -> None:
        """Fill the live-entity counter of a journal written before it existed."""
        if self._db.execute("SELECT 1 FROM live_entities LIMIT 1").fetchone() is None:
            self._db.execute(
                "INSERT INTO live_entities (kind, count) SELECT kind, count(*) FROM entity"
                " WHERE absorbed_into IS NULL GROUP BY kind")

    # --- reads ------------------------------------------------------------------------

    def candidates(self, kind: EntityKind, keys: Sequence[str], per_key: int
                   ) -> list[MentionLink]:
        found: dict[str, MentionLink] = {}
        for key in keys:
            rows = self._db.execute(
                "SELECT m.* FROM mention_key k JOIN mention m ON m.mention_id = k.mention_id"
                " WHERE k.key = ? AND m.kind = ? LIMIT ?", (key, kind.value, per_key))
            for row in rows:
                if row[0] not in found:
                    found[row[0]] = _link(row)
        return list(found.values())

    def key_count(self, key: str) -> int:
        row = self._db.execute("SELECT count(*) FROM mention_key WHERE key = ?", (key,))
        return int(row.fetchone()[0])

    def mention_total(self, kind: EntityKind) -> int:
        row = self._db.execute("SELECT count(*) FROM mention WHERE kind = ?", (kind.value,))
        return int(row.fetchone()[0])

    def resolve_entity(self, entity_id: str) -> str | None:
        row = self._db.execute("SELECT absorbed_into FROM entity WHERE entity_id = ?",
                               (entity_id,)).fetchone()
        if row is None:
            return None
        return str(row[0]) if row[0] else entity_id

    def entity_kind(self, entity_id: str) -> EntityKind | None:
        row = self._db.execute("SELECT kind FROM entity WHERE entity_id = ?",
                               (entity_id,)).fetchone()
        return EntityKind(row[0]) if row else None

    def members(self, entity_id: str) -> list[MentionLink]:
        rows = self._db.execute("SELECT * FROM mention WHERE entity_id = ? ORDER BY mention_id",
                                (entity_id,))
        return [_link(row) for row in rows]

    def mention(self, mention_id: str) -> MentionLink | None:
        row = self._db.execute("SELECT * FROM mention WHERE mention_id = ?",
                               (mention_id,)).fetchone()
        return _link(row) if row else None

    def record_entities(self, source: str, source_id: str) -> list[tuple[str, str]]:
        """(slot, entity id) of each resolved mention of one record."""
        rows = self._db.execute(
            "SELECT slot, entity_id FROM mention WHERE source = ? AND source_id = ?"
            " ORDER BY slot", (source, source_id))
        return [(str(s), str(e)) for s, e in rows]

    def iter_links(self) -> Iterator[MentionLink]:
        reader = sqlite3.connect(self.path)
        try:
            for row in reader.execute("SELECT * FROM mention ORDER BY mention_id"):
                yield _link(row)
        finally:
            reader.close()

    def assignments(self, kind: EntityKind) -> dict[str, str]:
        rows = self._db.execute("SELECT mention_id, entity_id FROM mention WHERE kind = ?",
                                (kind.value,))
        return {str(m): str(e) for m, e in rows}

    def events(self, entity_id: str | None) -> list[EntityEvent]:
        if entity_id is None:
            rows = self._db.execute("SELECT * FROM event ORDER BY seq")
        else:
            rows = self._db.execute(
                "SELECT * FROM event WHERE entity_id = ?1 OR other_entity_id = ?1 ORDER BY seq",
                (entity_id,))
        return [EntityEvent(int(r[0]), datetime.fromisoformat(r[1]), EventType(r[2]), r[3], r[4],
                            tuple(json.loads(r[5])), r[6], r[7]) for r in rows]

    def reviews(self, state: ReviewState | None, limit: int, offset: int) -> list[ReviewItem]:
        rows = self._db.execute(
            "SELECT * FROM review WHERE (?1 IS NULL OR state = ?1) ORDER BY review_id"
            " LIMIT ?2 OFFSET ?3", (state.value if state else None, limit, offset))
        return [_review(r) for r in rows]

    def review_count(self, state: ReviewState) -> int:
        row = self._db.execute("SELECT count(*) FROM review WHERE state = ?", (state.value,))
        return int(row.fetchone()[0])

    def review(self, review_id: str) -> ReviewItem | None:
        row = self._db.execute("SELECT * FROM review WHERE review_id = ?",
                               (review_id,)).fetchone()
        return _review(row) if row else None

    def constraints(self) -> list[ReviewerConstraint]:
        rows = self._db.execute("SELECT * FROM reviewer_constraint ORDER BY rowid")
        return [ReviewerConstraint(r[0], r[1], bool(r[2]), r[3], datetime.fromisoformat(r[4]))
                for r in rows]

    def entity_counts(self) -> dict[str, int]:
        """Live entities per kind, from a counter kept by `write` (no scan per push)."""
        rows = self._db.execute("SELECT kind, count FROM live_entities")
        return {str(k): int(c) for k, c in rows}

    # --- writes -----------------------------------------------------------------------

    def allocate_ids(self, kind: EntityKind, count: int) -> list[str]:
        """Fresh entity ids; each is given out once, even if the write using it fails."""
        with self._transaction():
            row = self._db.execute("SELECT value FROM id_counter WHERE kind = ?",
                                   (kind.value,)).fetchone()
            start = int(row[0]) if row else 0
            self._db.execute(
                "INSERT INTO id_counter (kind, value) VALUES (?, ?) ON CONFLICT (kind)"
                " DO UPDATE SET value = excluded.value", (kind.value, start + count))
        prefix = ENTITY_PREFIX[kind]
        return [f"{prefix}{n:08d}" for n in range(start + 1, start + count + 1)]

    def write(self, change: ResolutionWrite) -> None:
        now = datetime.now(UTC).isoformat()
        db = self._db
        with self._transaction():
            for entity_id, kind in change.new_entities:
                added = db.execute(
                    "INSERT OR IGNORE INTO entity (entity_id, kind, absorbed_into, created_at)"
                    " VALUES (?, ?, NULL, ?)", (entity_id, kind.value, now)).rowcount
                self._count(kind.value, added)
            db.executemany(
                "INSERT INTO mention VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (mention_id)"
                " DO UPDATE SET kind = excluded.kind, entity_id = excluded.entity_id,"
                " decision = excluded.decision, score = excluded.score,"
                " evidence = excluded.evidence, decided_by = excluded.decided_by,"
                " at = excluded.at, fields = excluded.fields",
                [_link_row(link) for link in change.links])
            db.executemany("DELETE FROM mention_key WHERE mention_id = ?",
                           [(link.mention_id,) for link in change.links])
            db.executemany("INSERT OR IGNORE INTO mention_key (key, mention_id) VALUES (?, ?)",
                           [(key, link.mention_id) for link in change.links for key in link.keys])
            for absorbed, survivor in change.merges:
                row = db.execute("SELECT kind FROM entity WHERE entity_id = ? AND"
                                 " absorbed_into IS NULL", (absorbed,)).fetchone()
                if row is not None:
                    self._count(str(row[0]), -1)
                db.execute("UPDATE mention SET entity_id = ? WHERE entity_id = ?",
                           (survivor, absorbed))
                db.execute("UPDATE entity SET absorbed_into = ?1 WHERE entity_id = ?2"
                           " OR absorbed_into = ?2", (survivor, absorbed))
            db.executemany("UPDATE mention SET entity_id = ? WHERE mention_id = ?",
                           [(entity, mention) for mention, entity in change.moves])
            db.executemany(
                "INSERT INTO event (at, event, entity_id, other_entity_id, mention_ids, reason,"
                " decided_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(now, e.value, entity, other, json.dumps(list(mentions)), reason, by)
                 for e, entity, other, mentions, reason, by in change.events])
            db.executemany(
                "INSERT OR IGNORE INTO review VALUES (?,?,?,?,?,?,?,?,NULL,NULL)",
                [(r.review_id, r.kind.value, r.left_mention, r.right_mention, r.probability,
                  r.reason, json.dumps(r.evidence, ensure_ascii=False), r.state.value)
                 for r in change.reviews])
            db.executemany(
                "UPDATE review SET state = ?, decided_by = ?, decided_at = ? WHERE review_id = ?",
                [(state.value, by, now, review_id)
                 for review_id, state, by in change.review_updates])
            db.executemany(
                "INSERT INTO reviewer_constraint VALUES (?, ?, ?, ?, ?)",
                [(c.left_mention, c.right_mention, int(c.merge), c.decided_by,
                  c.at.isoformat()) for c in change.constraints])

    def _count(self, kind: str, change: int) -> None:
        self._db.execute(
            "INSERT INTO live_entities (kind, count) VALUES (?, ?) ON CONFLICT (kind)"
            " DO UPDATE SET count = count + excluded.count", (kind, change))

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self.path)

    def close(self) -> None:
        self._closed.set()
        self._checkpointer.join()
        self._db.close()


class _Transaction:
    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db, self.path = db, path

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"the entity journal {self.path} is busy: {exc}") from exc

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
            return
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"writing to the entity journal {self.path} failed: {exc}") from exc


def _link_row(link: MentionLink) -> tuple[Any, ...]:
    return (link.mention_id, link.source, link.source_id, link.slot, link.kind.value,
            link.entity_id, link.decision.value, link.score,
            json.dumps(link.evidence, ensure_ascii=False), link.decided_by, link.at.isoformat(),
            json.dumps(link.fields, ensure_ascii=False))


def _link(row: Sequence[Any]) -> MentionLink:
    return MentionLink(
        mention_id=row[0], source=row[1], source_id=row[2], slot=row[3],
        kind=EntityKind(row[4]), entity_id=row[5], decision=Decision(row[6]),
        score=float(row[7]), evidence=json.loads(row[8]), decided_by=row[9],
        at=datetime.fromisoformat(row[10]), fields=json.loads(row[11]))


def _review(row: Sequence[Any]) -> ReviewItem:
    return ReviewItem(
        review_id=row[0], kind=EntityKind(row[1]), left_mention=row[2], right_mention=row[3],
        probability=float(row[4]), reason=row[5], evidence=json.loads(row[6]),
        state=ReviewState(row[7]), decided_by=row[8],
        decided_at=datetime.fromisoformat(row[9]) if row[9] else None)
