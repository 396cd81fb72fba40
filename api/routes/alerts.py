"""Early-warning alerts: list, read, acknowledge, close with a note.

Alerts are raised and updated by the push hook (api.analytics_service) and by
`wutong alerts --recompute`. Analysts, reviewers and admins read and act on them (analysts
are the risk staff alerts are for; acting on one shows no personal data and changes no
resolution); pushers get 403. Every acknowledgement and closing is audit-logged: its
intent before it takes effect, its outcome after.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.auth import AlertActor, AnalyticsReader
from api.masking import masked
from api.routes.common import PageDep, PageInfo, errors
from api.services import ServicesDep
from graph.alerts import Alert, AlertLevel, AlertState
from graph.errors import AlertNotFound

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])
AlertId = Annotated[str, Path(max_length=80, examples=["A-R1-1a2b3c4d5e6f"])]
RuleId = Literal["R1", "R3", "R4", "R6", "R7", "R8", "R10", "R13", "cluster_growth"]


class AlertOut(BaseModel):
    alert_id: str
    rule: str = Field(description="The rule's id as in domain-china §6.4, or cluster_growth")
    cause: str = Field(description="What the alert is about, stable within the rule")
    level: Literal["red", "orange", "yellow"]
    state: Literal["new", "acknowledged", "closed"]
    entities: list[str]
    cases: list[str]
    figures: dict[str, Any] = Field(description="The figures that crossed the threshold")
    reason: str
    window_from: date = Field(description="The first case behind it was filed on this day")
    window_to: date = Field(description="The last case behind it was filed on this day")
    raised_at: datetime
    updated_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None
    note: str | None
    history: list[dict[str, Any]]

    model_config = {"json_schema_extra": {"examples": [{
        "alert_id": "A-R1-1a2b3c4d5e6f", "rule": "R1", "cause": "E00000007", "level": "orange",
        "state": "new", "entities": ["E00000007", "P00000011"], "cases": ["labour:L-17"],
        "figures": {"workers": 12, "arrears_yuan": 96000},
        "reason": "12 workers filed wage claims against 宁波某某建设有限公司 within 30 days",
        "window_from": "2026-10-08", "window_to": "2026-10-30",
        "raised_at": "2026-10-30T09:00:00Z", "updated_at": "2026-10-30T09:00:00Z",
        "acknowledged_by": None, "acknowledged_at": None, "closed_by": None,
        "closed_at": None, "note": None,
        "history": [{"at": "2026-10-30T09:00:00+00:00", "event": "raised",
                     "level": "orange"}]}]}}


class AlertsOut(BaseModel):
    page: PageInfo
    alerts: list[AlertOut]


class CloseIn(BaseModel):
    note: str = Field(min_length=1, max_length=2000, description="What was done about it")

    model_config = {"json_schema_extra": {"examples": [
        {"note": "mediation at the street office; wages paid on 2026-11-05"}]}}


@router.get("", response_model=AlertsOut, responses=errors(401, 403, 422, 503))
def alerts(caller: AnalyticsReader, services: ServicesDep, page: PageDep,
           state: AlertState | None = None, rule: RuleId | None = None,
           level: AlertLevel | None = None,
           entity: Annotated[str | None, Query(max_length=40, examples=["E00000007"],
                                               description="Alerts naming this entity")] = None,
           ) -> AlertsOut:
    """Alerts matching every filter given, most urgent first (level, then most recently
    updated, then id)."""
    found = services.store.list_alerts(state=state, rule=rule, level=level, entity=entity,
                                       limit=page.limit, offset=page.offset)
    return AlertsOut(page=PageInfo(limit=page.limit, offset=page.offset),
                     alerts=[_alert_out(a) for a in found])


@router.get("/{alert_id}", response_model=AlertOut, responses=errors(401, 403, 404, 422, 503))
def alert(caller: AnalyticsReader, services: ServicesDep, alert_id: AlertId) -> AlertOut:
    """One alert in full: the figures that crossed the threshold, its cases and history."""
    found = services.store.get_alert(alert_id)
    if found is None:
        raise AlertNotFound(f"no alert {alert_id!r}")
    return _alert_out(found)


@router.post("/{alert_id}/acknowledge", response_model=AlertOut,
             responses=errors(401, 403, 404, 409, 422, 503))
def acknowledge(caller: AlertActor, services: ServicesDep, alert_id: AlertId) -> AlertOut:
    """Someone is looking at it (new → acknowledged). 409 if acknowledged or closed
    already."""
    with services.audit.decision(caller.key_id, caller.role.value, "acknowledge_alert",
                                 alert_id):
        done = services.analytics.acknowledge(alert_id, f"{caller.role.value}:{caller.key_id}")
    return _alert_out(done)


@router.post("/{alert_id}/close", response_model=AlertOut,
             responses=errors(400, 401, 403, 404, 409, 422, 503))
def close(caller: AlertActor, services: ServicesDep, alert_id: AlertId,
          body: CloseIn) -> AlertOut:
    """Close an alert with a note (from new or acknowledged); the same cause raises a new
    alert only for cases filed after. 409 if closed already."""
    with services.audit.decision(caller.key_id, caller.role.value, "close_alert", alert_id,
                                 {"note": body.note}):
        done = services.analytics.close(alert_id, f"{caller.role.value}:{caller.key_id}",
                                        body.note)
    return _alert_out(done)


def _alert_out(alert: Alert) -> AlertOut:
    data = alert.to_json()
    return AlertOut(
        alert_id=alert.alert_id, rule=alert.rule, cause=alert.cause, level=data["level"],
        state=data["state"], entities=list(alert.entities), cases=list(alert.cases),
        figures=masked(alert.figures), reason=alert.reason,
        window_from=alert.window_from, window_to=alert.window_to,
        raised_at=alert.raised_at, updated_at=alert.updated_at,
        acknowledged_by=alert.acknowledged_by, acknowledged_at=alert.acknowledged_at,
        closed_by=alert.closed_by, closed_at=alert.closed_at, note=alert.note,
        history=list(alert.history))
