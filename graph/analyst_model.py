"""The analyst graph: the domain edges and properties analysts read in Neo4j Browser.

Derived from the source records and the mention → entity assignment (the dispute
network, `graph.network`) plus conflict clusters and risk; built by
`graph.analyst_graph.build_analyst_graph` and written by a store's
`replace_analyst_graph`, which replaces whatever an earlier refresh wrote. Both stores
hold the same edges, so `counts()` and `neighbourhood()` answer alike.

Edges (start → end):
- `PARTY_TO {role}`: Person | Enterprise → Case, one per (entity, case, role);
- `SUBJECT_OF`: Person | Enterprise → CreditEvent;
- `LEGAL_REP_OF` | `SHAREHOLDER_OF` | `EMPLOYED_BY {starts_on, ends_on}`: Person → Enterprise,
  one per (person, type, enterprise);
- `ESCALATED_TO`: Case → Case (the earlier case to the one that continues it).

Properties: Case `channel, category, state, filed_on, closed_on, amount, cause`;
CreditEvent `event_type, starts_on, expires_on, case_number`; Person / Enterprise `name,
cluster, cluster_size, risk_score, risk_level`. Never an ID number or credit code. Days
are ISO strings ("2026-11-01"), as the saved queries compare them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PropertyValue = str | int | float | bool | None
Ref = tuple[str, str]
"""A node as (label, key), as `graph.store.NodeRef`: an entity's id for Person and
Enterprise, "source:source_id" for Case and CreditEvent."""

PARTY_TO = "PARTY_TO"
SUBJECT_OF = "SUBJECT_OF"
LEGAL_REP_OF = "LEGAL_REP_OF"
SHAREHOLDER_OF = "SHAREHOLDER_OF"
EMPLOYED_BY = "EMPLOYED_BY"
ESCALATED_TO = "ESCALATED_TO"
ANALYST_EDGE_TYPES = (PARTY_TO, SUBJECT_OF, LEGAL_REP_OF, SHAREHOLDER_OF, EMPLOYED_BY,
                      ESCALATED_TO)
CORPORATE_EDGE_TYPES = (LEGAL_REP_OF, SHAREHOLDER_OF, EMPLOYED_BY)


@dataclass(frozen=True)
class AnalystNode:
    """Properties to set on a node the graph already has."""

    ref: Ref
    props: dict[str, PropertyValue]


@dataclass(frozen=True)
class AnalystEdge:
    type: str
    start: Ref
    end: Ref
    props: dict[str, PropertyValue] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The edge's key among the edges between its two nodes (several roles in one
        case are several PARTY_TO edges)."""
        role = self.props.get("role")
        return f"{self.type}:{role}" if self.type == PARTY_TO else self.type


@dataclass
class AnalystGraph:
    nodes: list[AnalystNode] = field(default_factory=list)
    edges: list[AnalystEdge] = field(default_factory=list)

    def edge_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for edge in self.edges:
            out[edge.type] = out.get(edge.type, 0) + 1
        return out
