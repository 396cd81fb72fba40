"""Risk, conflict clusters and department statistics, from the network the API keeps current
(api.analytics_service), as of WUTONG_ANALYTICS_AS_OF (else today).

Analysts, reviewers and admins read; pushers get 403. ID numbers and individual
businesses' credit codes are masked for analysts (graph.masking; companies' codes are
public); a reviewer's or admin's read of them in full is audited first.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from api.auth import AnalyticsReader, sees_personal_data
from api.keys import ApiKey
from api.routes.common import PageDep, PageInfo, errors
from api.services import Services, ServicesDep
from graph.cluster_summary import ClusterSummary, summarise
from graph.masking import mask_strong_identifier
from graph.performance import department_performance
from graph.risk import RiskScore
from graph.vocabulary import Department, DisputeCategory

router = APIRouter(prefix="/v1", tags=["analytics"])
ClusterId = Annotated[str, Path(max_length=50, examples=["C-P00000042"])]
MAX_SIZE = 10_000_000


class ContributionOut(BaseModel):
    factor: str = Field(examples=["open_case_respondent"])
    points: float
    detail: str = Field(examples=["respondent in open labour_arbitration wage_arrears case "
                                  "labour:甬劳人仲案字〔2026〕第17号"])
    refs: list[str] = Field(description="Case, credit-event, link or entity keys behind it")


class RiskOut(BaseModel):
    score: float
    level: Literal["red", "orange", "yellow", "low"]
    by_factor: dict[str, float]
    page: PageInfo = Field(description="The page of contributions, largest first")
    contributions: list[ContributionOut]
    ignored: list[str] = Field(description="Facts seen and deliberately not counted, and why")


class EntityRiskOut(BaseModel):
    entity_id: str
    requested_id: str = Field(description="The id asked for; differs once it was merged")
    kind: Literal["person", "enterprise"] | None
    name: str
    identifier: str | None = Field(description="ID number or credit code (masked unless "
                                   "the role may see it)")
    as_of: date
    risk: RiskOut

    model_config = {"json_schema_extra": {"examples": [{
        "entity_id": "E00000007", "requested_id": "E00000007", "kind": "enterprise",
        "name": "宁波海曙某某电器有限公司", "identifier": "9133************1X",
        "as_of": "2026-11-01", "risk": {
            "score": 41.5, "level": "orange", "by_factor": {"open_case_respondent": 36.0,
                                                            "counterparties": 5.5},
            "page": {"limit": 50, "offset": 0, "total": 13},
            "contributions": [{"factor": "open_case_respondent", "points": 3.0,
                               "detail": "respondent in open labour_arbitration wage_arrears "
                                         "case labour:L-17", "refs": ["labour:L-17"]}],
            "ignored": []}}]}}


class ClusterBriefOut(BaseModel):
    cluster_id: str
    size: int = Field(description="Entities in the cluster")
    part_size: int = Field(description="Entities in the connected part it was cut from")
    people: int
    enterprises: int
    cases: int
    open_cases: int
    cases_by_category: dict[str, int]
    departments: list[str]
    growth_7d: int = Field(description="Cases filed in the last 7 days")
    growth_30d: int = Field(description="Cases filed in the last 30 days")
    new_entities_7d: int
    new_entities_30d: int
    first_activity: date | None
    last_activity: date | None
    risk: float
    level: Literal["red", "orange", "yellow", "low"]


class ClustersOut(BaseModel):
    as_of: date
    page: PageInfo
    clusters: list[ClusterBriefOut]

    model_config = {"json_schema_extra": {"examples": [{
        "as_of": "2026-11-01", "page": {"limit": 50, "offset": 0, "total": 1},
        "clusters": [{
            "cluster_id": "C-E00000007", "size": 13, "part_size": 13, "people": 12,
            "enterprises": 1, "cases": 12, "open_cases": 12,
            "cases_by_category": {"wage_arrears": 12}, "departments": ["labour"],
            "growth_7d": 4, "growth_30d": 12, "new_entities_7d": 4, "new_entities_30d": 13,
            "first_activity": "2026-10-08", "last_activity": "2026-10-30", "risk": 80.5,
            "level": "red"}]}]}}


class MemberOut(BaseModel):
    entity_id: str
    kind: Literal["person", "enterprise"] | None
    name: str
    identifier: str | None
    own_risk: float


class ClusterOut(BaseModel):
    as_of: date
    cluster: ClusterBriefOut
    cases_by_state: dict[str, int]
    applicants: int
    respondents: int
    closed_cases: int
    amount_claimed: float
    risk: RiskOut
    page: PageInfo = Field(description="The page of members, by entity id")
    members: list[MemberOut]


class PerformanceOut(BaseModel):
    department: str
    category: str
    received: int
    closed: int
    overdue: int
    overdue_open: int
    closed_late: int
    median_handling_days: float | None
    resolved_before_litigation: float | None = Field(
        description="Share of closed cases outside the courts that did not go to court")
    clock: str


class PerformancesOut(BaseModel):
    as_of: date
    page: PageInfo
    rows: list[PerformanceOut]

    model_config = {"json_schema_extra": {"examples": [{
        "as_of": "2026-11-01", "page": {"limit": 50, "offset": 0, "total": 1},
        "rows": [{"department": "labour", "category": "wage_arrears", "received": 120,
                  "closed": 96, "overdue": 7, "overdue_open": 5, "closed_late": 2,
                  "median_handling_days": 38.0, "resolved_before_litigation": 0.82,
                  "clock": "labour arbitration: 45 days (+15)"}]}]}}


SORTS = {
    "risk": lambda r: (r.risk.score, r.summary.cases),
    "size": lambda r: (len(r.cluster.entities), r.risk.score),
    "growth_7d": lambda r: (r.summary.new_cases_7d, r.risk.score),
    "last_activity": lambda r: (r.summary.last_activity or date.min, r.risk.score),
}


@router.get("/entities/{entity_id}/risk", response_model=EntityRiskOut, tags=["entities"],
            responses=errors(401, 403, 404, 422, 503))
def entity_risk(caller: AnalyticsReader, services: ServicesDep, page: PageDep,
                entity_id: Annotated[str, Path(max_length=40, examples=["P00000042"])],
                ) -> EntityRiskOut:
    """An entity's risk score and the facts behind it (open cases by role, counterparties,
    departments, escalation, credit events, recency, risk carried over corporate links)."""
    live = services.store.resolve_entity(entity_id)
    if live is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    with services.analytics.view() as view:
        score = view.scorer.entity(live)
        kind = view.network.kind_of(live)
        identifier = view.network.identifier_of(live)
        as_of = view.as_of
    full = _audited(services, caller, "read_risk", live, [live])
    return EntityRiskOut(entity_id=live, requested_id=entity_id,
                         kind=kind.value if kind else None, name=score.name,
                         identifier=identifier if full else mask_strong_identifier(
                             kind.value if kind else None, identifier),
                         as_of=as_of, risk=_risk_out(score, page.limit, page.offset))


@router.get("/clusters", response_model=ClustersOut, responses=errors(401, 403, 422, 503))
def clusters(
    caller: AnalyticsReader, services: ServicesDep, page: PageDep,
    min_size: Annotated[int | None, Query(ge=1, le=MAX_SIZE)] = None,
    max_size: Annotated[int | None, Query(ge=1, le=MAX_SIZE)] = None,
    category: Annotated[DisputeCategory | None, Query(
        description="Only clusters with a case of this category")] = None,
    department: Annotated[Department | None, Query(
        description="Only clusters with a case from this department")] = None,
    min_growth_7d: Annotated[int | None, Query(ge=0, le=MAX_SIZE, description=
                                               "At least this many cases in 7 days")] = None,
    min_growth_30d: Annotated[int | None, Query(ge=0, le=MAX_SIZE, description=
                                                "At least this many cases in 30 days")] = None,
    active_since: Annotated[date | None, Query(
        description="Last activity (a case filed or closed) on or after this day")] = None,
    sort: Annotated[Literal["risk", "size", "growth_7d", "last_activity"], Query()] = "risk",
    order: Annotated[Literal["desc", "asc"], Query()] = "desc",
) -> ClustersOut:
    """Conflict clusters with at least one case, filtered and sorted (ties by cluster id).
    No personal data: members are listed by `GET /v1/clusters/{cluster_id}`."""
    with services.analytics.view() as view:
        ranked = services.analytics.ranked_clusters(view)
        as_of = view.as_of
    chosen = [r for r in ranked if (
        (min_size is None or len(r.cluster.entities) >= min_size)
        and (max_size is None or len(r.cluster.entities) <= max_size)
        and (category is None or category.value in r.summary.cases_by_category)
        and (department is None or department.value in r.summary.departments)
        and (min_growth_7d is None or r.summary.new_cases_7d >= min_growth_7d)
        and (min_growth_30d is None or r.summary.new_cases_30d >= min_growth_30d)
        and (active_since is None or (r.summary.last_activity is not None
                                      and r.summary.last_activity >= active_since)))]
    chosen.sort(key=lambda r: r.cluster.cluster_id)
    chosen.sort(key=SORTS[sort], reverse=order == "desc")
    shown = chosen[page.offset:page.offset + page.limit]
    return ClustersOut(as_of=as_of,
                       page=PageInfo(limit=page.limit, offset=page.offset, total=len(chosen)),
                       clusters=[_brief(r.summary, r.risk) for r in shown])


@router.get("/clusters/{cluster_id}", response_model=ClusterOut,
            responses=errors(401, 403, 404, 422, 503))
def cluster(caller: AnalyticsReader, services: ServicesDep, page: PageDep,
            cluster_id: ClusterId) -> ClusterOut:
    """One conflict cluster in full: its summary, risk with breakdown, and a page of its
    members (with their own risk)."""
    with services.analytics.view() as view:
        found = view.clusters.cluster(cluster_id)
        if found is None:
            raise HTTPException(404, f"no cluster {cluster_id!r}")
        summary = summarise(view.network, found, view.as_of)
        score = view.scorer.cluster(found)
        ids = sorted(found.entities)[page.offset:page.offset + page.limit]
        members = [(e, view.network.kind_of(e), view.network.name_of(e),
                    view.network.identifier_of(e), view.scorer.own_score(e)) for e in ids]
        as_of = view.as_of
    full = _audited(services, caller, "read_cluster", cluster_id, ids)
    return ClusterOut(
        as_of=as_of, cluster=_brief(summary, score), cases_by_state=summary.cases_by_state,
        applicants=summary.applicants, respondents=summary.respondents,
        closed_cases=summary.closed_cases, amount_claimed=summary.amount_claimed,
        risk=_risk_out(score, 100, 0),
        page=PageInfo(limit=page.limit, offset=page.offset, total=len(found.entities)),
        members=[MemberOut(entity_id=e, kind=k.value if k else None, name=name,
                           identifier=ident if full else mask_strong_identifier(
                               k.value if k else None, ident), own_risk=own)
                 for e, k, name, ident, own in members])


@router.get("/departments/performance", response_model=PerformancesOut,
            responses=errors(401, 403, 422, 503))
def performance(caller: AnalyticsReader, services: ServicesDep, page: PageDep,
                department: Department | None = None,
                category: DisputeCategory | None = None) -> PerformancesOut:
    """Per department and case category: cases received, closed, overdue against the
    statutory clocks (open past the clock, or closed after it), median handling days, and
    the share resolved before litigation."""
    with services.analytics.view() as view:
        rows = department_performance(view.network, view.as_of)
        as_of = view.as_of
    rows = [r for r in rows if (department is None or r.department == department.value)
            and (category is None or r.category == category.value)]
    return PerformancesOut(
        as_of=as_of, page=PageInfo(limit=page.limit, offset=page.offset, total=len(rows)),
        rows=[PerformanceOut(**asdict(r), overdue=r.overdue)
              for r in rows[page.offset:page.offset + page.limit]])


def _brief(s: ClusterSummary, score: RiskScore) -> ClusterBriefOut:
    return ClusterBriefOut(
        cluster_id=s.cluster_id, size=len(s.entities), part_size=s.part_size, people=s.people,
        enterprises=s.enterprises, cases=s.cases, open_cases=s.open_cases,
        cases_by_category=s.cases_by_category, departments=list(s.departments),
        growth_7d=s.new_cases_7d, growth_30d=s.new_cases_30d,
        new_entities_7d=s.new_entities_7d, new_entities_30d=s.new_entities_30d,
        first_activity=s.first_activity, last_activity=s.last_activity, risk=score.score,
        level=_level(score.level))


def _level(level: str) -> Literal["red", "orange", "yellow", "low"]:
    if level == "red":
        return "red"
    if level == "orange":
        return "orange"
    if level == "yellow":
        return "yellow"
    return "low"


def _risk_out(score: RiskScore, limit: int, offset: int) -> RiskOut:
    ranked = sorted(score.contributions, key=lambda c: (-c.points, c.factor, c.refs))
    return RiskOut(
        score=score.score, level=_level(score.level), by_factor=score.by_factor(),
        page=PageInfo(limit=limit, offset=offset, total=len(ranked)),
        contributions=[ContributionOut(factor=c.factor, points=c.points, detail=c.detail,
                                       refs=list(c.refs))
                       for c in ranked[offset:offset + limit]],
        ignored=list(score.ignored))


def _audited(services: Services, caller: ApiKey, action: str, target: str,
             entities: list[str]) -> bool:
    """Whether the caller sees identifiers in full; if so, the read is audited first, with
    the entities whose identifiers it shows."""
    full = sees_personal_data(caller)
    if full:
        services.audit.write(caller.key_id, caller.role.value, action, target,
                             {"entities": entities})
    return full
