"""Build the analyst graph (`graph.analyst_model`) from a dispute network, its conflict
clusters and risk scores.

Everything is sorted, so the same network always gives the same graph whichever store
it was read from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from graph.analyst_model import (
    EMPLOYED_BY,
    ESCALATED_TO,
    LEGAL_REP_OF,
    PARTY_TO,
    SHAREHOLDER_OF,
    SUBJECT_OF,
    AnalystEdge,
    AnalystGraph,
    AnalystNode,
    PropertyValue,
    Ref,
)
from graph.entities import EntityKind
from graph.network import CaseFact, CreditFact, DisputeNetwork
from graph.risk import RiskScorer
from graph.vocabulary import RelationType

ENTITY_LABELS = {EntityKind.PERSON: "Person", EntityKind.ENTERPRISE: "Enterprise"}
CORPORATE_TYPES = {RelationType.LEGAL_REPRESENTATIVE: LEGAL_REP_OF,
                   RelationType.SHAREHOLDER: SHAREHOLDER_OF,
                   RelationType.EMPLOYMENT: EMPLOYED_BY}

ClusterMembers = tuple[str, Iterable[str]]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_props(case: CaseFact) -> dict[str, PropertyValue]:
    """closed_on is the day the case closed, or the day it was last reported closed when
    the record gives none; None while open (so `closed_on IS NULL` means open)."""
    return {"channel": case.channel.value, "category": case.category.value,
            "state": case.state.value, "filed_on": case.filed_on.isoformat(),
            "closed_on": _day(case.closed_day), "amount": case.amount, "cause": case.cause}


def credit_props(credit: CreditFact) -> dict[str, PropertyValue]:
    return {"event_type": credit.event_type.value, "starts_on": credit.starts_on.isoformat(),
            "expires_on": _day(credit.expires_on), "case_number": credit.case_number}


def _ref(network: DisputeNetwork, entity_id: str) -> Ref | None:
    kind = network.kind_of(entity_id)
    return (ENTITY_LABELS[kind], entity_id) if kind is not None else None


def build_analyst_graph(network: DisputeNetwork, clusters: Iterable[ClusterMembers],
                        scorer: RiskScorer) -> AnalystGraph:
    """Nodes' properties and the domain edges of every resolved entity, case and credit
    event in `network`; `clusters` as (cluster id, entities), risk from `scorer`."""
    graph = AnalystGraph()
    for key in sorted(network.cases):
        graph.nodes.append(AnalystNode(("Case", key), case_props(network.cases[key])))
    for key in sorted(network.credits):
        graph.nodes.append(AnalystNode(("CreditEvent", key), credit_props(network.credits[key])))

    cluster_of: dict[str, tuple[str, int]] = {}
    for cluster_id, members in clusters:
        group = list(members)
        for entity in group:
            cluster_of[entity] = (cluster_id, len(group))
    for entity in sorted(network.entities()):
        ref = _ref(network, entity)
        if ref is None:
            continue
        risk = scorer.entity(entity)
        cluster, size = cluster_of.get(entity, (None, None))
        graph.nodes.append(AnalystNode(ref, {
            "name": network.name_of(entity), "cluster": cluster, "cluster_size": size,
            "risk_score": risk.score, "risk_level": risk.level,
            "risk_as_of": scorer.as_of.isoformat()}))

    edges: dict[tuple[str, Ref, Ref, str], AnalystEdge] = {}

    def add(edge: AnalystEdge) -> None:
        edges.setdefault((edge.type, edge.start, edge.end, edge.key), edge)

    for key in sorted(network.cases):
        case = network.cases[key]
        for entity, role in network.case_entities(case):
            ref = _ref(network, entity)
            if ref is not None:
                add(AnalystEdge(PARTY_TO, ref, ("Case", key), {"role": role.value}))
        source = network.escalation_source(case)
        if source is not None:
            add(AnalystEdge(ESCALATED_TO, ("Case", source.key), ("Case", key)))
    for key in sorted(network.credits):
        credit = network.credits[key]
        subject = network.entity_of(credit.mention_id)
        ref = _ref(network, subject) if subject is not None else None
        if ref is not None:
            add(AnalystEdge(SUBJECT_OF, ref, ("CreditEvent", key)))
    for key in sorted(network.links):
        link = network.links[key]
        person = network.entity_of(link.person_mention)
        enterprise = network.entity_of(link.enterprise_mention)
        if (person is None or enterprise is None
                or network.kind_of(person) is not EntityKind.PERSON
                or network.kind_of(enterprise) is not EntityKind.ENTERPRISE):
            continue
        add(AnalystEdge(CORPORATE_TYPES[link.relation], ("Person", person),
                        ("Enterprise", enterprise),
                        {"starts_on": _day(link.starts_on), "ends_on": _day(link.ends_on)}))
    graph.edges = sorted(edges.values(), key=lambda e: (e.type, e.start, e.end, e.key))
    return graph
