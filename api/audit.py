"""The audit log: who read unmasked personal data or decided something, what, and when.

An append-only SQLite file, `$WUTONG_DATA_DIR/api/audit.sqlite3`, kept whichever store is
configured. Triggers abort every UPDATE and DELETE, so no code path of the API (nor a
mistaken one added later) can rewrite or drop an entry; the API only ever inserts and
reads. Each entry is committed (synchronous=FULL) before the data it records is shown.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.errors import AuditLogError

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
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                       timeout=30.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise AuditLogError(f"cannot open the audit log at {path}: {exc}") from exc
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
