"""The source-record journal: an append-only SQLite file that makes records durable.

Every version of every source record is kept. A record is acknowledged only after the
transaction that wrote it has committed with `synchronous=FULL`, so a crash after an
acknowledgement loses nothing. Duplicate detection compares the incoming content hash with
the latest version of the same (source, source_id).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from graph.errors import StoreError
from graph.records import CanonicalRecord, RecordKind, parse_record_json
from graph.sqlite_files import open_database
from graph.store import AppendOutcome, StoredRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    received_at TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_key ON records(source, source_id);
CREATE TABLE IF NOT EXISTS latest (
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
"""


class Journal:
    """Append-only journal of source records in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self._db = open_database(path, _SCHEMA, synchronous="FULL", error=StoreError,
                                 what="the record journal")
        self.path = path

    def append(
        self, records: Sequence[CanonicalRecord]
    ) -> list[tuple[AppendOutcome, StoredRecord | None]]:
        """Append records in one transaction; returns each outcome and the stored version."""
        now = datetime.now(UTC)
        results: list[tuple[AppendOutcome, StoredRecord | None]] = []
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            for record in records:
                results.append(self._append_one(record, now))
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise StoreError(
                    f"the record journal {self.path} is locked by another writer (a load or "
                    "server using the same WUTONG_DATA_DIR); try again when it has finished"
                ) from exc
            if isinstance(exc, sqlite3.Error):
                message = f"writing to the record journal {self.path} failed: {exc}"
                raise StoreError(message) from exc
            raise
        return results

    def _append_one(
        self, record: CanonicalRecord, now: datetime
    ) -> tuple[AppendOutcome, StoredRecord | None]:
        source, source_id = record.source.value, record.source_id
        content_hash = record.content_hash()
        row = self._db.execute(
            "SELECT content_hash FROM latest WHERE source = ? AND source_id = ?",
            (source, source_id),
        ).fetchone()
        if row is not None and row[0] == content_hash:
            return AppendOutcome.DUPLICATE, None
        cursor = self._db.execute(
            "INSERT INTO records (source, source_id, kind, content_hash, received_at, payload)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (source, source_id, record.kind, content_hash, now.isoformat(),
             record.model_dump_json()),
        )
        seq = cursor.lastrowid
        assert seq is not None
        self._db.execute(
            "INSERT INTO latest (source, source_id, seq, content_hash, kind) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (source, source_id) DO UPDATE SET"
            " seq = excluded.seq, content_hash = excluded.content_hash, kind = excluded.kind",
            (source, source_id, seq, content_hash, record.kind),
        )
        outcome = AppendOutcome.ACCEPTED if row is None else AppendOutcome.NEW_VERSION
        return outcome, StoredRecord(seq, content_hash, now, record)

    def latest(self, source: str, source_id: str) -> StoredRecord | None:
        row = self._db.execute(
            "SELECT r.seq, r.content_hash, r.received_at, r.payload FROM latest l"
            " JOIN records r ON r.seq = l.seq WHERE l.source = ? AND l.source_id = ?",
            (source, source_id),
        ).fetchone()
        return None if row is None else _stored(row)

    def history(self, source: str, source_id: str) -> list[StoredRecord]:
        rows = self._db.execute(
            "SELECT seq, content_hash, received_at, payload FROM records"
            " WHERE source = ? AND source_id = ? ORDER BY seq",
            (source, source_id),
        ).fetchall()
        return [_stored(row) for row in rows]

    def iter_latest(
        self, kind: RecordKind | None = None, source: str | None = None
    ) -> Iterator[StoredRecord]:
        # A separate connection keeps a long iteration from holding up appends.
        reader = sqlite3.connect(self.path)
        try:
            cursor = reader.execute(
                "SELECT r.seq, r.content_hash, r.received_at, r.payload FROM latest l"
                " JOIN records r ON r.seq = l.seq"
                " WHERE (?1 IS NULL OR l.kind = ?1) AND (?2 IS NULL OR l.source = ?2)"
                " ORDER BY l.seq",
                (kind, source),
            )
            for row in cursor:
                yield _stored(row)
        finally:
            reader.close()

    def iter_latest_keys(self) -> Iterator[tuple[str, str, str, str]]:
        """(source, source_id, kind, content_hash) of every record, without parsing payloads."""
        reader = sqlite3.connect(self.path)
        try:
            yield from reader.execute(
                "SELECT source, source_id, kind, content_hash FROM latest ORDER BY seq"
            )
        finally:
            reader.close()

    def counts(self) -> tuple[dict[str, int], dict[str, int], int]:
        """Latest records by kind and by source, and the number of versions stored."""
        by_kind = dict(self._db.execute("SELECT kind, count(*) FROM latest GROUP BY kind"))
        by_source = dict(self._db.execute("SELECT source, count(*) FROM latest GROUP BY source"))
        versions = self._db.execute("SELECT count(*) FROM records").fetchone()[0]
        return by_kind, by_source, int(versions)

    def close(self) -> None:
        self._db.close()


def _stored(row: tuple[int, str, str, str]) -> StoredRecord:
    seq, content_hash, received_at, payload = row
    return StoredRecord(seq, content_hash, datetime.fromisoformat(received_at),
                        parse_record_json(payload))
