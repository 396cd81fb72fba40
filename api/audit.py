"""The audit log: who read unmasked personal data or decided something, what, and when.

An append-only SQLite file, `$WUTONG_DATA_DIR/api/audit.sqlite3`, kept whichever store is
configured. Triggers abort every UPDATE and DELETE, so no code path of the API (nor a
mistaken one added later) can rewrite or drop an entry; the API only ever inserts and
reads. Each entry is committed (synchronous=FULL) before the data it records is shown.

A decision (a review decision, a split, an alert acknowledged or closed, a key created or
revoked) is written twice, through `decision()`: an intent entry with the decision's
parameters (`"phase": "intent"`) is committed before anything changes, so if the log cannot
be written nothing is done; then an outcome entry with the same action and target
(`"phase": "done"` with what it did, or `"phase": "failed"` with the error). The outcome
entry is best effort: a decision that took effect stands, audited by its intent entry,
even if its outcome entry could not be written (that is logged).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.errors import AuditLogError
from graph.sqlite_files import open_database

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_action ON audit(action);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    key_id: str
    role: str
    action: str
    target: str
    detail: dict[str, Any]


class AuditLog:
    def __init__(self, path: Path) -> None:
        self._db = open_database(path, _SCHEMA, synchronous="FULL", error=AuditLogError,
                                 what="the audit log")
        self._lock = threading.Lock()

    def write(self, key_id: str, role: str, action: str, target: str,
              detail: dict[str, Any] | None = None) -> None:
        """Append one entry; raises AuditLogError if it could not be committed."""
        row = (datetime.now(UTC).isoformat(), key_id, role, action, target,
               json.dumps(detail or {}, ensure_ascii=False, sort_keys=True))
        with self._lock:
            try:
                self._db.execute("INSERT INTO audit (at, key_id, role, action, target, detail)"
                                 " VALUES (?, ?, ?, ?, ?, ?)", row)
            except sqlite3.Error as exc:
                raise AuditLogError(f"the audit log could not be written: {exc}") from exc

    @contextmanager
    def decision(self, key_id: str, role: str, action: str, target: str,
                 detail: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Audit a decision around the block that carries it out: the intent entry first
        (AuditLogError, and the block does not run, if it cannot be committed), then the
        outcome entry with whatever the block put in the yielded dict."""
        self.write(key_id, role, action, target, {**(detail or {}), "phase": "intent"})
        outcome: dict[str, Any] = {}
        try:
            yield outcome
        except Exception as exc:
            self._outcome(key_id, role, action, target,
                          {"phase": "failed", "error": f"{type(exc).__name__}: {exc}"})
            raise
        self._outcome(key_id, role, action, target, {**outcome, "phase": "done"})

    def _outcome(self, key_id: str, role: str, action: str, target: str,
                 detail: dict[str, Any]) -> None:
        try:
            self.write(key_id, role, action, target, detail)
        except AuditLogError:
            logger.exception("the outcome of %s %s (key %s) could not be audited; its intent "
                             "entry stands for it", action, target, key_id)

    def entries(self, limit: int = 100, offset: int = 0, action: str | None = None
                ) -> list[AuditEntry]:
        """Newest first."""
        try:
            rows = self._db.execute(
                "SELECT * FROM audit WHERE (?1 IS NULL OR action = ?1)"
                " ORDER BY seq DESC LIMIT ?2 OFFSET ?3", (action, limit, offset)).fetchall()
        except sqlite3.Error as exc:
            raise AuditLogError(f"the audit log could not be read: {exc}") from exc
        return [AuditEntry(int(r[0]), datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5],
                           json.loads(r[6])) for r in rows]

    def close(self) -> None:
        self._db.close()
