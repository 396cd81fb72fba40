"""Early-warning alerts: what a rule found, and the alert that carries it through its life.

A rule (graph.alert_rules) returns `Finding`s: the rule, the cause it is about (the
employer group, the petitioner, the case...), the entities and cases behind it, the
figures that crossed the threshold and a level. `reconcile` turns findings into alerts:
an alert is raised once per cause and updated while it is open (new cases join it, its
level may rise); once closed, the same cause raises a new alert only for cases filed
after it was closed. The lifecycle is new → acknowledged → closed, each step with who and
when.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from graph.errors import AlertChanged, AlertNotFound, AlertStateError


class AlertLevel(StrEnum):
    """Three-colour warning levels (domain-china §6.4 R1, R11), most urgent first."""

    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"

    @property
    def rank(self) -> int:
        return {"red": 3, "orange": 2, "yellow": 1}[self.value]


class AlertState(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


@dataclass(frozen=True)
class Finding:
    """What one rule found about one cause, as of one day."""

    rule: str
    cause: str  # stable within the rule: what the alert is about
    level: AlertLevel
    entities: tuple[str, ...]
    cases: tuple[str, ...]
    figures: dict[str, Any]
    reason: str
    window_from: date
    window_to: date


@dataclass(frozen=True)
class Alert:
    alert_id: str
    rule: str
    cause: str
    level: AlertLevel
    entities: tuple[str, ...]
    cases: tuple[str, ...]
    figures: dict[str, Any]
    reason: str
    window_from: date
    window_to: date
    state: AlertState
    raised_at: datetime
    updated_at: datetime
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    note: str | None = None
    history: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.alert_id, "rule": self.rule, "cause": self.cause,
            "level": self.level.value, "state": self.state.value,
            "entities": list(self.entities), "cases": list(self.cases),
            "figures": self.figures, "reason": self.reason,
            "window": {"from": self.window_from.isoformat(), "to": self.window_to.isoformat()},
            "raised_at": self.raised_at.isoformat(), "updated_at": self.updated_at.isoformat(),
            "acknowledged_by": self.acknowledged_by,
            "acknowledged_at": _iso(self.acknowledged_at),
            "closed_by": self.closed_by, "closed_at": _iso(self.closed_at), "note": self.note,
            "history": list(self.history),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def alert_id(rule: str, cause: str, generation: int) -> str:
    """Deterministic: the same cause gets the same id in every store and every run."""
    digest = hashlib.sha256(f"{rule}\x1f{cause}\x1f{generation}".encode()).hexdigest()[:12]
    return f"A-{rule}-{digest}"


@dataclass
class Reconciliation:
    raised: list[Alert] = field(default_factory=list)
    updated: list[Alert] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> list[Alert]:
        return self.raised + self.updated


def reconcile(findings: Iterable[Finding], existing: Mapping[tuple[str, str], Sequence[Alert]],
              now: datetime) -> Reconciliation:
    """Alerts to write for `findings`, given the stored alerts of their rules.

    A finding belongs to the open alert of its rule with the same cause or, failing that,
    sharing a case with it: a cause's key can drift (an employer group gains an older
    company, an earlier petition arrives late, entities merge) and the alert must not be
    raised twice. The open alert absorbs the finding (cases and entities only grow, the
    level only rises). With no open alert, a finding adds up to a new alert only when it
    holds a case none of the closed alerts of its cause had.
    """
    out = Reconciliation()
    by_rule: dict[str, dict[str, Alert]] = {}
    for (rule, _), stored in existing.items():
        by_rule.setdefault(rule, {}).update((a.alert_id, a) for a in stored)
    for finding in findings:
        alerts = by_rule.setdefault(finding.rule, {})
        related = _related(finding, alerts.values())
        open_alert = next((a for a in related if a.state is not AlertState.CLOSED), None)
        if open_alert is not None:
            merged = _absorb(open_alert, finding, now)
            if merged is None:
                out.unchanged += 1
            else:
                alerts[merged.alert_id] = merged
                _replace(out, merged)
            continue
        seen = {case for a in related for case in a.cases}
        if related and set(finding.cases) <= seen:
            out.unchanged += 1
            continue
        generation = sum(1 for a in alerts.values() if a.cause == finding.cause)
        raised = Alert(
            alert_id=alert_id(finding.rule, finding.cause, generation), rule=finding.rule,
            cause=finding.cause, level=finding.level, entities=finding.entities,
            cases=finding.cases, figures=finding.figures, reason=finding.reason,
            window_from=finding.window_from, window_to=finding.window_to,
            state=AlertState.NEW, raised_at=now, updated_at=now,
            history=({"at": now.isoformat(), "event": "raised", "level": finding.level.value},),
        )
        alerts[raised.alert_id] = raised
        out.raised.append(raised)
    return out


def _related(finding: Finding, alerts: Iterable[Alert]) -> list[Alert]:
    """Alerts of the finding's rule about the same cause, then those sharing most cases."""
    cases = set(finding.cases)
    scored = [(a.cause == finding.cause, len(cases & set(a.cases)), a) for a in alerts]
    related = [item for item in scored if item[0] or item[1]]
    related.sort(key=lambda item: (not item[0], -item[1], item[2].raised_at, item[2].alert_id))
    return [a for _, _, a in related]


def _replace(out: Reconciliation, alert: Alert) -> None:
    for group in (out.raised, out.updated):
        for k, known in enumerate(group):
            if known.alert_id == alert.alert_id:
                group[k] = alert
                return
    out.updated.append(alert)


def _absorb(alert: Alert, finding: Finding, now: datetime) -> Alert | None:
    cases = tuple(dict.fromkeys((*alert.cases, *finding.cases)))
    entities = tuple(dict.fromkeys((*alert.entities, *finding.entities)))
    level = finding.level if finding.level.rank > alert.level.rank else alert.level
    if (cases == alert.cases and entities == alert.entities and level is alert.level
            and finding.figures == alert.figures):
        return None
    event: dict[str, Any] = {"at": now.isoformat(), "event": "updated",
                             "new_cases": len(cases) - len(alert.cases)}
    if level is not alert.level:
        event["level"] = level.value
    return replace(
        alert, level=level, entities=entities, cases=cases, figures=finding.figures,
        reason=finding.reason, window_from=min(alert.window_from, finding.window_from),
        window_to=max(alert.window_to, finding.window_to), updated_at=now,
        history=(*alert.history, event))


def transition(alert: Alert | None, alert_ref: str, to: AlertState, by: str, now: datetime,
               note: str | None = None) -> Alert:
    """The alert after a person acknowledged or closed it."""
    if alert is None:
        raise AlertNotFound(f"no alert {alert_ref!r}; `wutong alerts` lists them")
    if alert.state is AlertState.CLOSED:
        raise AlertStateError(f"alert {alert.alert_id} is closed already "
                              f"(by {alert.closed_by} at {_iso(alert.closed_at)})")
    event = {"at": now.isoformat(), "event": to.value, "by": by}
    if note:
        event["note"] = note
    if to is AlertState.ACKNOWLEDGED:
        if alert.state is AlertState.ACKNOWLEDGED:
            raise AlertStateError(f"alert {alert.alert_id} was acknowledged already by "
                                  f"{alert.acknowledged_by}")
        return replace(alert, state=to, acknowledged_by=by, acknowledged_at=now,
                       updated_at=now, history=(*alert.history, event))
    if to is AlertState.CLOSED:
        return replace(alert, state=to, closed_by=by, closed_at=now, note=note,
                       updated_at=now, history=(*alert.history, event))
    raise AlertStateError(f"an alert cannot be moved back to {to.value!r}")


def alert_payload(alert: Alert) -> str:
    """The alert as stored: JSON that `alert_from_payload` reads back exactly."""
    return json.dumps(alert.to_json(), ensure_ascii=False, sort_keys=True)


def alert_from_payload(payload: str) -> Alert:
    data = json.loads(payload)
    return Alert(
        alert_id=data["id"], rule=data["rule"], cause=data["cause"],
        level=AlertLevel(data["level"]), entities=tuple(data["entities"]),
        cases=tuple(data["cases"]), figures=data["figures"], reason=data["reason"],
        window_from=date.fromisoformat(data["window"]["from"]),
        window_to=date.fromisoformat(data["window"]["to"]), state=AlertState(data["state"]),
        raised_at=datetime.fromisoformat(data["raised_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
        acknowledged_by=data["acknowledged_by"],
        acknowledged_at=_dt(data["acknowledged_at"]), closed_by=data["closed_by"],
        closed_at=_dt(data["closed_at"]), note=data["note"], history=tuple(data["history"]))


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def check_unchanged(alert_id: str, expected: datetime | None, stored: str | None) -> None:
    """Raise AlertChanged unless the stored alert is the version the caller read
    (`stored` is its updated_at as stored, None when there is no such alert)."""
    if (expected.isoformat() if expected is not None else None) != stored:
        raise AlertChanged(f"alert {alert_id} was changed by someone else since it was read "
                           f"(now last updated {stored or 'never'}); read it again and retry")


def alert_row(alert: Alert) -> dict[str, Any]:
    """The columns both stores index an alert by, with its payload."""
    return {"alert_id": alert.alert_id, "rule": alert.rule, "cause": alert.cause,
            "state": alert.state.value, "level": alert.level.value,
            "level_rank": alert.level.rank, "updated_at": alert.updated_at.isoformat(),
            "entities": list(alert.entities), "cases": list(alert.cases),
            "payload": alert_payload(alert)}
