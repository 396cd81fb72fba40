"""The embedded store: a networkx graph in memory over the durable SQLite journal.

The journal is the truth; the graph is derived from it and rebuilt on every open, so a
restart (or a crash) loses nothing that was acknowledged. Nodes hold ids and a few
attributes only: record payloads stay in the journal.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import networkx as nx

from graph.journal import Journal
from graph.records import CanonicalRecord, RecordKind
from graph.store import (
    AppendOutcome,
    GraphStore,
    NodeRef,
    StoreCounts,
    StoredRecord,
    check_hops,
)
from graph.vocabulary import DEPARTMENT_NAMES, Department

JOURNAL_FILE = "journal.sqlite3"

# Record kinds that are themselves things in the graph (not only evidence about an entity).
_DERIVED_LABELS: dict[str, str] = {"case": "Case", "credit_event": "CreditEvent"}


def source_record_node(source: str, source_id: str) -> str:
    return f"SourceRecord:{source}:{source_id}"


def department_node(code: str) -> str:
    return f"Department:{code}"


def _node_ref(node_id: str) -> NodeRef:
    label, _, key = node_id.partition(":")
    return label, key


class EmbeddedStore(GraphStore):
    """networkx MultiDiGraph plus the journal under `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._journal = Journal(data_dir / JOURNAL_FILE)
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._write_lock = threading.Lock()
        self._rebuild()

    def _rebuild(self) -> None:
        for department in Department:
            self._graph.add_node(
                department_node(department.value),
                label="Department", code=department.value, name=DEPARTMENT_NAMES[department],
            )
        for source, source_id, kind, content_hash in self._journal.iter_latest_keys():
            self._add_to_graph(source, source_id, kind, content_hash)

    def _add_to_graph(self, source: str, source_id: str, kind: str, content_hash: str) -> None:
        node = source_record_node(source, source_id)
        self._graph.add_node(
            node, label="SourceRecord", kind=kind, source=source, source_id=source_id,
            content_hash=content_hash,
        )
        if not self._graph.has_edge(node, department_node(source), key="FROM"):
            self._graph.add_edge(node, department_node(source), key="FROM")
        label = _DERIVED_LABELS.get(kind)
        if label is None:
            return
        derived = f"{label}:{source}:{source_id}"
        self._graph.add_node(derived, label=label, source=source, source_id=source_id)
        if not self._graph.has_edge(node, derived, key="DESCRIBES"):
            self._graph.add_edge(node, derived, key="DESCRIBES")
        if label == "Case" and not self._graph.has_edge(
            derived, department_node(source), key="HANDLED_BY"
        ):
            self._graph.add_edge(derived, department_node(source), key="HANDLED_BY")

    def append_records(self, records: Sequence[CanonicalRecord]) -> list[AppendOutcome]:
        # One writer at a time: the journal's connection and the graph are shared by
        # every thread of the API.
        with self._write_lock:
            results = self._journal.append(records)
            for _, stored in results:
                if stored is not None:
                    record = stored.record
                    self._add_to_graph(record.source.value, record.source_id, record.kind,
                                       stored.content_hash)
        return [outcome for outcome, _ in results]

    def get_record(self, source: str, source_id: str) -> StoredRecord | None:
        return self._journal.latest(source, source_id)

    def record_history(self, source: str, source_id: str) -> list[StoredRecord]:
        return self._journal.history(source, source_id)

    def iter_records(
        self, kind: RecordKind | None = None, source: str | None = None
    ) -> Iterator[StoredRecord]:
        return self._journal.iter_latest(kind, source)

    def neighbourhood(self, node: NodeRef, hops: int) -> set[NodeRef]:
        check_hops(hops)
        label, key = node
        start = f"{label}:{key}"
        if start not in self._graph:
            return set()
        reached = nx.single_source_shortest_path_length(
            self._graph.to_undirected(as_view=True), start, cutoff=hops
        )
        return {_node_ref(n) for n in reached if n != start}

    def counts(self) -> StoreCounts:
        by_kind, by_source, versions = self._journal.counts()
        labels = Counter(label for _, label in self._graph.nodes(data="label"))
        edges = Counter(key for _, _, key in self._graph.edges(keys=True))
        return StoreCounts(
            records_by_kind=by_kind, records_by_source=by_source, record_versions=versions,
            nodes_by_label=dict(labels), edges_by_type=dict(edges),
        )

    def close(self) -> None:
        self._journal.close()
