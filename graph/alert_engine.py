"""Running the rules against a store: in full, for what a change touched, and the steps a
person takes on an alert (acknowledge, close)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from graph.alert_config import AlertConfig
from graph.alert_rules import ClusterMembers, evaluate
from graph.alerts import Alert, AlertState, Finding, Reconciliation, reconcile, transition
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


def acknowledge_alert(store: AlertStore, alert_id: str, by: str,
                      now: datetime | None = None) -> Alert:
    alert = transition(store.get_alert(alert_id), alert_id, AlertState.ACKNOWLEDGED, by,
                       now or datetime.now(UTC))
    store.put_alerts([alert])
    return alert


def close_alert(store: AlertStore, alert_id: str, by: str, note: str | None,
                now: datetime | None = None) -> Alert:
    alert = transition(store.get_alert(alert_id), alert_id, AlertState.CLOSED, by,
                       now or datetime.now(UTC), note)
    store.put_alerts([alert])
    return alert


def _apply(store: AlertStore, findings: Sequence[Finding], now: datetime | None
           ) -> Reconciliation:
    existing = store.related_alerts(sorted({(f.rule, f.cause) for f in findings}),
                                    sorted({c for f in findings for c in f.cases}))
    result = reconcile(findings, existing, now or datetime.now(UTC))
    if result.changed:
        store.put_alerts(result.changed)
    return result
