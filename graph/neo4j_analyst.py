"""The Neo4j store's analyst graph: the `AnalystGraphStore` half of the port.

A mixin of `graph.neo4j_store.Neo4jStore`. `replace_analyst_graph` deletes the domain
edges an earlier refresh wrote and writes the new ones (statements `cypher/analyst_*`),
`ANALYST_WRITE_CHUNK` rows per transaction so that no transaction outgrows the server's
transaction memory (`dbms.memory.transaction.total.max`) however large the graph. The
replacement is therefore not one transaction: a query run while it is under way sees
part of the edges. Node properties are overwritten, not cleared first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString, TypeVar

from neo4j import ManagedTransaction

from cypher.catalog import statement
from graph.analyst_model import (
    CORPORATE_EDGE_TYPES,
    ESCALATED_TO,
    PARTY_TO,
    SUBJECT_OF,
    AnalystGraph,
)
from graph.chunks import chunked
from graph.store import AnalystGraphStore

ANALYST_WRITE_CHUNK = 5000
"""Rows per transaction when writing the analyst graph (and edges per deleting one)."""

_T = TypeVar("_T")


class Neo4jAnalyst(AnalystGraphStore):
    """Analyst-graph half of the Neo4j store; the store provides `_write`."""

    _write: Callable[..., Any]

    def replace_analyst_graph(self, graph: AnalystGraph) -> None:
        while self._write(_single, statement("analyst_delete_edges"),
                          {"limit": ANALYST_WRITE_CHUNK}) > 0:
            pass
        by_label: dict[str, list[dict[str, Any]]] = {}
        for node in graph.nodes:
            label, key = node.ref
            if label in ("Person", "Enterprise"):
                row = {"entity_id": key, "props": node.props}
            else:
                source, _, source_id = key.partition(":")
                row = {"source": source, "source_id": source_id, "props": node.props}
            by_label.setdefault(label, []).append(row)
        self._chunked("analyst_case_properties", by_label.get("Case", []))
        self._chunked("analyst_credit_event_properties", by_label.get("CreditEvent", []))
        self._chunked("analyst_entity_properties",
                      by_label.get("Person", []) + by_label.get("Enterprise", []))
        party: list[dict[str, Any]] = []
        subject: list[dict[str, Any]] = []
        corporate: list[dict[str, Any]] = []
        escalated: list[dict[str, Any]] = []
        for edge in graph.edges:
            if edge.type == PARTY_TO:
                source, _, source_id = edge.end[1].partition(":")
                party.append({"entity_id": edge.start[1], "source": source,
                              "source_id": source_id, "role": edge.props.get("role")})
            elif edge.type == SUBJECT_OF:
                source, _, source_id = edge.end[1].partition(":")
                subject.append({"entity_id": edge.start[1], "source": source,
                                "source_id": source_id})
            elif edge.type in CORPORATE_EDGE_TYPES:
                corporate.append({"person": edge.start[1], "enterprise": edge.end[1],
                                  "type": edge.type, "starts_on": edge.props.get("starts_on"),
                                  "ends_on": edge.props.get("ends_on")})
            elif edge.type == ESCALATED_TO:
                from_source, _, from_source_id = edge.start[1].partition(":")
                source, _, source_id = edge.end[1].partition(":")
                escalated.append({"from_source": from_source, "from_source_id": from_source_id,
                                  "source": source, "source_id": source_id})
        self._chunked("analyst_party_to", party)
        self._chunked("analyst_subject_of", subject)
        self._chunked("analyst_corporate_links", corporate)
        self._chunked("analyst_escalated_to", escalated)

    def _chunked(self, name: str, rows: list[dict[str, Any]]) -> None:
        query = statement(name)
        for chunk in chunked(rows, ANALYST_WRITE_CHUNK):
            self._write(_consume, query, {"rows": chunk})


def _consume(tx: ManagedTransaction, query: LiteralString, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def _single(tx: ManagedTransaction, query: LiteralString, params: dict[str, Any]) -> int:
    row = tx.run(query, params).single()
    return int(row[0]) if row is not None else 0
