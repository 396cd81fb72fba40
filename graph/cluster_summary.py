"""What a mediator needs to know about one conflict cluster, as of a day.

Cases filed after `as_of` are left out and a case closed after it counts as open, so a
summary for an earlier day says what was known then (as far as the latest record
versions allow: a state overwritten since is not recovered).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from graph.clusters import Cluster
from graph.network import CaseFact, DisputeNetwork
from graph.vocabulary import PartyRole


@dataclass(frozen=True)
class ClusterSummary:
    cluster_id: str
    entities: tuple[str, ...]
    people: int
    enterprises: int
    part_size: int
    cases: int
    open_cases: int
    closed_cases: int
    cases_by_category: dict[str, int] = field(default_factory=dict)
    cases_by_state: dict[str, int] = field(default_factory=dict)
    departments: tuple[str, ...] = ()
    applicants: int = 0
    respondents: int = 0
    amount_claimed: float = 0.0
    first_activity: date | None = None
    last_activity: date | None = None
    new_cases_7d: int = 0
    new_cases_30d: int = 0
    new_entities_7d: int = 0
    new_entities_30d: int = 0


def open_on(case: CaseFact, as_of: date) -> bool:
    return case.open_on(as_of)


def cluster_cases(network: DisputeNetwork, entities: frozenset[str], as_of: date
                  ) -> list[CaseFact]:
    """Cases any of the entities is party to, filed on or before `as_of`."""
    found = {case.key: case for e in entities for case, _ in network.cases_of(e)
             if case.filed_on <= as_of}
    return sorted(found.values(), key=lambda c: (c.filed_on, c.key))


def summarise(network: DisputeNetwork, cluster: Cluster, as_of: date) -> ClusterSummary:
    cases = cluster_cases(network, cluster.entities, as_of)
    open_cases = [c for c in cases if open_on(c, as_of)]
    applicants: set[str] = set()
    respondents: set[str] = set()
    first_seen: dict[str, date] = {}
    for case in cases:
        for entity, role in network.case_entities(case):
            if role is PartyRole.APPLICANT:
                applicants.add(entity)
            elif role is PartyRole.RESPONDENT:
                respondents.add(entity)
            if entity in cluster.entities:
                first_seen.setdefault(entity, case.filed_on)
    week, month = as_of - timedelta(days=7), as_of - timedelta(days=30)
    activity = [c.filed_on for c in cases] + [
        c.closed_day for c in cases if c.closed_day is not None and c.closed_day <= as_of]
    kinds = Counter(network.kind_of(e) for e in cluster.entities)
    return ClusterSummary(
        cluster_id=cluster.cluster_id, entities=tuple(sorted(cluster.entities)),
        people=sum(n for k, n in kinds.items() if k is not None and k.value == "person"),
        enterprises=sum(n for k, n in kinds.items() if k is not None and k.value == "enterprise"),
        part_size=cluster.part_size, cases=len(cases), open_cases=len(open_cases),
        closed_cases=len(cases) - len(open_cases),
        cases_by_category=dict(sorted(Counter(c.category.value for c in cases).items())),
        cases_by_state=dict(sorted(Counter(
            c.state.value if not open_on(c, as_of) or c.is_open else "open_on_day"
            for c in cases).items())),
        departments=tuple(sorted({c.source for c in cases})),
        applicants=len(applicants), respondents=len(respondents),
        amount_claimed=round(sum(c.amount or 0.0 for c in cases), 2),
        first_activity=min(activity) if activity else None,
        last_activity=max(activity) if activity else None,
        new_cases_7d=sum(1 for c in cases if c.filed_on > week),
        new_cases_30d=sum(1 for c in cases if c.filed_on > month),
        new_entities_7d=sum(1 for d in first_seen.values() if d > week),
        new_entities_30d=sum(1 for d in first_seen.values() if d > month),
    )
