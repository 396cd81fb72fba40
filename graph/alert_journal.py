"""The embedded store's alerts: one SQLite file beside the journals.

An alert's lifecycle step is a person's decision (who acknowledged or closed it, when),
so this file commits with synchronous=FULL like the record journal: once a step is
acknowledged it survives a power cut.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from graph.alerts import (
    Alert,
    AlertLevel,
    AlertState,
    alert_from_payload,
    alert_row,
    check_unchanged,
)
from graph.errors import StoreError
from graph.sqlite_files import immediate_transaction, open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alert (
    alert_id TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    cause TEXT NOT NULL,
    state TEXT NOT NULL,
    level TEXT NOT NULL,
    level_rank INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    payload TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alert_cause ON alert(rule, cause);
CREATE INDEX IF NOT EXISTS alert_order ON alert(level_rank DESC, updated_at DESC, alert_id);
CREATE TABLE IF NOT EXISTS alert_entity (
    entity_id TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    PRIMARY KEY (entity_id, alert_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alert_case (
    case_key TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    PRIMARY KEY (case_key, alert_id)
) WITHOUT ROWID;
"""

_ORDER = " ORDER BY level_rank DESC, updated_at DESC, alert_id"


class AlertJournal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = open_database(path, _SCHEMA, synchronous="FULL", error=StoreError,
                                 what="the alert journal")
        self._lock = threading.Lock()
        self._index_cases_of_older_alerts()

    def _index_cases_of_older_alerts(self) -> None:
        """Files written before alert_case existed get their cases indexed once."""
        if self._query("SELECT 1 FROM alert_case LIMIT 1", ()) or not self._query(
                "SELECT 1 FROM alert LIMIT 1", ()):
            return
        alerts = [alert_from_payload(p) for (p,) in self._query("SELECT payload FROM alert", ())]
        with self._transaction() as db:
            db.executemany("INSERT OR IGNORE INTO alert_case (case_key, alert_id) VALUES (?, ?)",
                           [(c, a.alert_id) for a in alerts for c in a.cases])

    def put(self, alerts: Sequence[Alert],
            expected: Mapping[str, datetime | None] | None = None) -> None:
        rows = [alert_row(a) for a in alerts]
        with self._transaction() as db:
            for alert_id, updated_at in (expected or {}).items():
                stored = db.execute("SELECT updated_at FROM alert WHERE alert_id = ?",
                                    (alert_id,)).fetchone()
                check_unchanged(alert_id, updated_at, stored[0] if stored else None)
            db.executemany(
                "INSERT OR REPLACE INTO alert (alert_id, rule, cause, state, level, level_rank, "
                "updated_at, payload) VALUES (:alert_id, :rule, :cause, :state, :level, "
                ":level_rank, :updated_at, :payload)", rows)
            db.executemany("DELETE FROM alert_entity WHERE alert_id = ?",
                           [(r["alert_id"],) for r in rows])
            db.executemany("INSERT OR IGNORE INTO alert_entity (entity_id, alert_id) "
                           "VALUES (?, ?)",
                           [(e, r["alert_id"]) for r in rows for e in r["entities"]])
            db.executemany("DELETE FROM alert_case WHERE alert_id = ?",
                           [(r["alert_id"],) for r in rows])
            db.executemany("INSERT OR IGNORE INTO alert_case (case_key, alert_id) "
                           "VALUES (?, ?)",
                           [(c, r["alert_id"]) for r in rows for c in r["cases"]])

    def get(self, alert_id: str) -> Alert | None:
        row = self._query("SELECT payload FROM alert WHERE alert_id = ?", (alert_id,))
        return alert_from_payload(row[0][0]) if row else None

    def select(self, state: AlertState | None, rule: str | None, level: AlertLevel | None,
             entity: str | None, limit: int, offset: int) -> list[Alert]:
        where: list[str] = []
        params: list[object] = []
        for column, value in (("state", state), ("rule", rule), ("level", level)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(str(value))
        if entity is not None:
            where.append("alert_id IN (SELECT alert_id FROM alert_entity WHERE entity_id = ?)")
            params.append(entity)
        sql = "SELECT payload FROM alert" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self._query(sql + _ORDER + " LIMIT ? OFFSET ?", (*params, limit, offset))
        return [alert_from_payload(r[0]) for r in rows]

    def related(self, causes: Sequence[tuple[str, str]], cases: Sequence[str]
                ) -> dict[tuple[str, str], list[Alert]]:
        rules = sorted({rule for rule, _ in causes})
        payloads: dict[str, str] = {}
        for rule, cause in set(causes):
            for alert_id, payload in self._query(
                    "SELECT alert_id, payload FROM alert WHERE rule = ? AND cause = ?",
                    (rule, cause)):
                payloads[alert_id] = payload
        marks = ",".join("?" for _ in rules)
        for case in set(cases):
            for alert_id, payload in self._query(
                    "SELECT a.alert_id, a.payload FROM alert_case c JOIN alert a "
                    f"ON a.alert_id = c.alert_id WHERE c.case_key = ? AND a.rule IN ({marks})",
                    (case, *rules)):
                payloads[alert_id] = payload
        out: dict[tuple[str, str], list[Alert]] = {}
        for payload in payloads.values():
            alert = alert_from_payload(payload)
            out.setdefault((alert.rule, alert.cause), []).append(alert)
        return out

    def close(self) -> None:
        self._db.close()

    def _query(self, sql: str, params: Sequence[object]) -> list[tuple[str, ...]]:
        with self._lock:
            try:
                return list(self._db.execute(sql, params))
            except sqlite3.Error as exc:
                raise StoreError(f"the alert journal {self.path} failed: {exc}") from exc

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self._db, self._lock, StoreError,
                                     f"the alert journal {self.path}")
