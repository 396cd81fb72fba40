"""The Neo4j store's alerts: the `AlertStore` half of the port.

A mixin of `graph.neo4j_store.Neo4jStore`. One `(:Alert {alert_id, rule, cause, state,
level, level_rank, updated_at, entities, payload})` node per alert, `-[:ABOUT]->` the
`Entity` nodes it names so that an analyst can walk from an alert to its people and
enterprises in Neo4j Browser; the payload is the alert as JSON, read back exactly as the
embedded store reads its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from neo4j import ManagedTransaction

from cypher.catalog import statement
from graph.alerts import (
    Alert,
    AlertLevel,
    AlertState,
    alert_from_payload,
    alert_row,
    check_unchanged,
)
from graph.store import AlertStore


class Neo4jAlerts(AlertStore):
    """Alert half of the Neo4j store; the store provides `_read` and `_write`."""

    _read: Callable[..., list[dict[str, Any]]]
    _write: Callable[..., Any]

    def put_alerts(self, alerts: Sequence[Alert],
                   expected: Mapping[str, datetime | None] | None = None) -> None:
        if alerts:
            self._write(_put, [alert_row(a) for a in alerts], dict(expected or {}))

    def get_alert(self, alert_id: str) -> Alert | None:
        rows = self._read(statement("alert_get"), alert_id=alert_id)
        return alert_from_payload(rows[0]["payload"]) if rows else None

    def list_alerts(self, state: AlertState | None = None, rule: str | None = None,
                    level: AlertLevel | None = None, entity: str | None = None,
                    limit: int = 100, offset: int = 0) -> list[Alert]:
        rows = self._read(statement("alert_list"),
                          state=state.value if state else None, rule=rule,
                          level=level.value if level else None, entity=entity,
                          limit=limit, offset=offset)
        return [alert_from_payload(r["payload"]) for r in rows]

    def related_alerts(self, causes: Sequence[tuple[str, str]], cases: Sequence[str]
                       ) -> dict[tuple[str, str], list[Alert]]:
        if not causes:
            return {}
        rows = self._read(statement("alert_related"),
                          rules=sorted({rule for rule, _ in causes}),
                          keys=[f"{rule}|{cause}" for rule, cause in causes],
                          cases=list(cases))
        out: dict[tuple[str, str], list[Alert]] = {}
        for row in rows:
            alert = alert_from_payload(row["payload"])
            out.setdefault((alert.rule, alert.cause), []).append(alert)
        return out


def _put(tx: ManagedTransaction, rows: list[dict[str, Any]],
         expected: dict[str, datetime | None]) -> None:
    if expected:
        stored = {r["alert_id"]: r["updated_at"] for r in tx.run(
            statement("alert_lock_versions"), alert_ids=sorted(expected)).data()}
        for alert_id, updated_at in expected.items():
            check_unchanged(alert_id, updated_at, stored.get(alert_id))
    tx.run(statement("alert_put"), rows=rows).consume()
