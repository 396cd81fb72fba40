"""Explainable risk per entity and per cluster, as of a day.

A score is a sum of contributions, each naming its factor, the facts behind it (case,
credit-event or entity keys) and its points, so "why is this entity orange" is answered by
reading the list. Weights come from graph/risk_weights.yaml (docs/risk.md) or a copy
named by WUTONG_RISK_WEIGHTS. Facts dated after the day are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph.cluster_summary import ClusterSummary, open_on, summarise
from graph.clusters import Cluster
from graph.credit_flags import ends_on, flag_problem
from graph.errors import RiskWeightsError
from graph.network import CaseFact, DisputeNetwork
from graph.vocabulary import CreditEventType, PartyRole, RelationType

DEFAULT_WEIGHTS = Path(__file__).parent / "risk_weights.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleWeights(_Strict):
    applicant: float
    respondent: float
    third_party: float

    def of(self, role: PartyRole) -> float:
        return float(getattr(self, role.value))


class CaseWeights(_Strict):
    open: RoleWeights
    closed: RoleWeights


class Capped(_Strict):
    points: float
    max: float


class Recent(_Strict):
    days: int = Field(ge=1)
    points: float


class Points(_Strict):
    points: float


class Linked(_Strict):
    share: float = Field(ge=0.0, le=1.0)
    relations: frozenset[RelationType]


class Levels(_Strict):
    red: float
    orange: float
    yellow: float

    def level(self, score: float) -> str:
        for name in ("red", "orange", "yellow"):
            if score >= getattr(self, name):
                return name
        return "low"


class RiskWeights(_Strict):
    version: int = 1
    case: CaseWeights
    closed_case_half_life_days: float = Field(gt=0)
    recent: Recent
    counterparties: Capped
    departments: Capped
    escalation: Points
    credit: dict[CreditEventType, float]
    minor_age: int = Field(ge=0)
    linked: Linked
    levels: Levels
    cluster_levels: Levels


def load_weights(path: Path | None = None) -> RiskWeights:
    """The weights file at `path`, else the one shipped with Wutong."""
    source = path or DEFAULT_WEIGHTS
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
        return RiskWeights.model_validate(raw)
    except OSError as exc:
        raise RiskWeightsError(f"cannot read risk weights {source}: {exc}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise RiskWeightsError(f"risk weights {source} are invalid: {exc}") from exc


@dataclass(frozen=True)
class Contribution:
    factor: str
    points: float
    detail: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskScore:
    subject: str
    name: str
    score: float
    level: str
    contributions: tuple[Contribution, ...]
    ignored: tuple[str, ...] = ()  # facts seen and deliberately not counted, with why

    def by_factor(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for c in self.contributions:
            out[c.factor] = round(out.get(c.factor, 0.0) + c.points, 4)
        return out


class RiskScorer:
    """Scores entities and clusters of one network for one day."""

    def __init__(self, network: DisputeNetwork, weights: RiskWeights, as_of: date) -> None:
        self.network = network
        self.weights = weights
        self.as_of = as_of

    def entity(self, entity_id: str) -> RiskScore:
        own, ignored = self._own(entity_id)
        carried = self._carried(entity_id)
        contributions = tuple(own + carried)
        score = round(sum(c.points for c in contributions), 4)
        return RiskScore(entity_id, self.network.name_of(entity_id), score,
                         self.weights.levels.level(score), contributions, tuple(ignored))

    def own_score(self, entity_id: str) -> float:
        return round(sum(c.points for c in self._own(entity_id)[0]), 4)

    def cluster(self, cluster: Cluster) -> RiskScore:
        """The sum of members' own scores (links inside a cluster would count twice if
        carried scores were added), broken down by factor and by member."""
        totals: dict[str, float] = {}
        members: list[tuple[float, str]] = []
        for entity in sorted(cluster.entities):
            own, _ = self._own(entity)
            for c in own:
                totals[c.factor] = totals.get(c.factor, 0.0) + c.points
            members.append((round(sum(c.points for c in own), 4), entity))
        contributions = [Contribution(f, round(p, 4), f"{f} across the cluster's members")
                         for f, p in sorted(totals.items()) if p]
        top = sorted(members, key=lambda m: (-m[0], m[1]))[:5]
        detail = ", ".join(f"{e} {p:g}" for p, e in top if p)
        score = round(sum(p for p, _ in members), 4)
        return RiskScore(cluster.cluster_id, f"{len(cluster.entities)} entities", score,
                         self.weights.cluster_levels.level(score), tuple(contributions),
                         (f"highest members: {detail}",) if detail else ())

    # --- factors --------------------------------------------------------------------

    def _own(self, entity_id: str) -> tuple[list[Contribution], list[str]]:
        cases = [(c, r) for c, r in self.network.cases_of(entity_id)
                 if c.filed_on <= self.as_of]
        out = self._case_points(cases)
        out += self._spread(entity_id, cases)
        credit, ignored = self._credit(entity_id)
        return out + credit, ignored

    def _case_points(self, cases: list[tuple[CaseFact, PartyRole]]) -> list[Contribution]:
        w = self.weights
        out = []
        recent_from = self.as_of - timedelta(days=w.recent.days)
        for case, role in cases:
            label = f"{case.channel.value} {case.category.value} case {case.key}"
            if open_on(case, self.as_of):
                points = w.case.open.of(role)
                out.append(Contribution(f"open_case_{role.value}", points,
                                        f"{role.value} in open {label}", (case.key,)))
            else:
                assert case.closed_day is not None
                age = (self.as_of - case.closed_day).days
                fade = 0.5 ** (age / w.closed_case_half_life_days)
                points = round(w.case.closed.of(role) * fade, 4)
                if points:
                    out.append(Contribution(
                        f"closed_case_{role.value}", points,
                        f"{role.value} in {label}, closed {age} days ago (×{fade:.2f})",
                        (case.key,)))
            if case.filed_on > recent_from and w.recent.points:
                out.append(Contribution("recent_case", w.recent.points,
                                        f"filed {case.filed_on} (last {w.recent.days} days)",
                                        (case.key,)))
            if self.network.escalation_source(case) is not None and w.escalation.points:
                source = self.network.escalation_source(case)
                assert source is not None
                out.append(Contribution("escalation", w.escalation.points,
                                        f"{case.key} continues {source.key}",
                                        (case.key, source.key)))
        return out

    def _spread(self, entity_id: str, cases: list[tuple[CaseFact, PartyRole]]
                ) -> list[Contribution]:
        w = self.weights
        out = []
        counterparties = sorted({e for case, _ in cases
                                 for e, _ in self.network.case_entities(case) if e != entity_id})
        if counterparties:
            points = min(w.counterparties.max, w.counterparties.points * len(counterparties))
            out.append(Contribution("counterparties", points,
                                    f"{len(counterparties)} distinct counterparties",
                                    tuple(counterparties)))
        departments = sorted({case.source for case, _ in cases})
        if len(departments) > 1:
            points = min(w.departments.max, w.departments.points * (len(departments) - 1))
            out.append(Contribution("departments", points,
                                    f"cases in {len(departments)} departments",
                                    tuple(departments)))
        return out

    def _credit(self, entity_id: str) -> tuple[list[Contribution], list[str]]:
        out: list[Contribution] = []
        ignored: list[str] = []
        for credit in self.network.credits_of(entity_id):
            name = f"{credit.event_type.value} {credit.key}"
            problem = flag_problem(self.network, entity_id, credit, self.as_of)
            if problem is not None:
                ignored.append(f"{name}: {problem}")
            elif points := self.weights.credit.get(credit.event_type, 0.0):
                end = ends_on(credit)
                until = f" until {end}" if end else ""
                out.append(Contribution("credit", points,
                                        f"{name} from {credit.starts_on}{until}",
                                        (credit.key,)))
        return out, ignored

    def _carried(self, entity_id: str) -> list[Contribution]:
        linked = self.weights.linked
        out = []
        seen: set[str] = set()  # one carry per linked entity, however many links
        for link, other in self.network.links_of(entity_id):
            if (link.relation not in linked.relations or not link.active_on(self.as_of)
                    or other in seen):
                continue
            seen.add(other)
            other_score = self.own_score(other)
            points = round(linked.share * other_score, 4)
            if points:
                out.append(Contribution(
                    "linked", points,
                    f"{link.relation.value} link to {other} ({self.network.name_of(other)}, "
                    f"own score {other_score:g} × {linked.share:g})", (other, link.key)))
        return out


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class RankedCluster:
    cluster: Cluster
    summary: ClusterSummary
    risk: RiskScore


def clusters_with_cases(network: DisputeNetwork, clusters: Iterable[Cluster],
                        scorer: RiskScorer) -> list[RankedCluster]:
    """The clusters holding a case filed by the scorer's day, each with its summary and
    risk: what the cluster lists of the API and the command line rank."""
    out = []
    for cluster in clusters:
        summary = summarise(network, cluster, scorer.as_of)
        if summary.cases:
            out.append(RankedCluster(cluster, summary, scorer.cluster(cluster)))
    return out
