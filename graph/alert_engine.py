"""Running the rules against a store: in full, for what a change touched, and the steps a
person takes on an alert (acknowledge, close)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import TypeVar

from graph.alert_config import AlertConfig
from graph.alert_rules import ClusterMembers, evaluate
from graph.alerts import Alert, AlertState, Finding, Reconciliation, reconcile, transition
from graph.errors import AlertChanged
from graph.network import DisputeNetwork, NetworkChange
from graph.store import AlertStore


def recompute_alerts(store: AlertStore, network: DisputeNetwork, config: AlertConfig,
                     as_of: date, clusters: Sequence[ClusterMembers] = (),
                     now: datetime | None = None) -> Reconciliation:
    """Every rule over the whole network; raise and update alerts in the store."""
    return _apply(store, evaluate(network, config, as_of, clusters), now)


def alerts_for_change(store: AlertStore, network: DisputeNetwork, config: AlertConfig,
                      as_of: date, change: NetworkChange, clusters: Sequence[ClusterMembers] = (),
                      now: datetime | None = None) -> Reconciliation:
    """The rules for the causes a change can affect (its entities and those of the cases,
    credit events and links it touched)."""
    touched = touched_entities(network, change)
    if not touched:
        return Reconciliation()
    return _apply(store, evaluate(network, config, as_of, clusters, touched), now)


def touched_entities(network: DisputeNetwork, change: NetworkChange) -> set[str]:
    touched = set(change.entities)
    for key in change.cases:
        case = network.cases.get(key)
        if case is not None:
            touched |= {e for e, _ in network.case_entities(case)}
    for key in change.credits:
        credit = network.credits.get(key)
        if credit is not None and (e := network.entity_of(credit.mention_id)) is not None:
            touched.add(e)
    for key in change.links:
        link = network.links.get(key)
        if link is not None:
            touched |= {e for m in (link.person_mention, link.enterprise_mention)
                        if (e := network.entity_of(m)) is not None}
    return touched


# The API and the command line may step or re-evaluate one alert at the same time; each
# write expects the version it read, and a loser reads again (a few times at most).
ATTEMPTS = 3
_T = TypeVar("_T")


def acknowledge_alert(store: AlertStore, alert_id: str, by: str,
                      now: datetime | None = None) -> Alert:
    return _step(store, alert_id, AlertState.ACKNOWLEDGED, by, None, now)


def close_alert(store: AlertStore, alert_id: str, by: str, note: str | None,
                now: datetime | None = None) -> Alert:
    return _step(store, alert_id, AlertState.CLOSED, by, note, now)


def _step(store: AlertStore, alert_id: str, to: AlertState, by: str, note: str | None,
          now: datetime | None) -> Alert:
    def once() -> Alert:
        current = store.get_alert(alert_id)
        alert = transition(current, alert_id, to, by, now or datetime.now(UTC), note)
        store.put_alerts([alert], {alert_id: current.updated_at if current else None})
        return alert
    return _retried(once)


def _apply(store: AlertStore, findings: Sequence[Finding], now: datetime | None
           ) -> Reconciliation:
    def once() -> Reconciliation:
        existing = store.related_alerts(sorted({(f.rule, f.cause) for f in findings}),
                                        sorted({c for f in findings for c in f.cases}))
        result = reconcile(findings, existing, now or datetime.now(UTC))
        if result.changed:
            read = {a.alert_id: a.updated_at for alerts in existing.values() for a in alerts}
            store.put_alerts(result.changed,
                             {a.alert_id: read.get(a.alert_id) for a in result.changed})
        return result
    return _retried(once)


def _retried(once: Callable[[], _T]) -> _T:
    for _ in range(ATTEMPTS - 1):
        try:
            return once()
        except AlertChanged:
            continue
    return once()
