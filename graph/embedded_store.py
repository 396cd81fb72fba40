"""The embedded store: a networkx graph in memory over the durable SQLite journal.

The journal is the truth; the graph is derived from it and rebuilt on every open, so a
restart (or a crash) loses nothing that was acknowledged. Nodes hold ids and a few
attributes only: record payloads stay in the journal.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

import networkx as nx

from graph.alert_journal import AlertJournal
from graph.alerts import Alert, AlertLevel, AlertState
from graph.analyst_journal import AnalystJournal
from graph.analyst_model import ANALYST_EDGE_TYPES, AnalystGraph
from graph.entities import (
    EntityEvent,
    EntityKind,
    MentionLink,
    ResolutionWrite,
    ReviewerConstraint,
    ReviewItem,
    ReviewState,
)
from graph.entity_journal import EntityJournal
from graph.journal import Journal
from graph.records import CanonicalRecord, RecordKind
from graph.store import (
    AppendOutcome,
    NodeRef,
    ResolvingStore,
    StoreCounts,
    StoredRecord,
    check_hops,
)
from graph.vocabulary import DEPARTMENT_NAMES, Department

JOURNAL_FILE = "journal.sqlite3"
ENTITY_FILE = "entities.sqlite3"
ALERT_FILE = "alerts.sqlite3"
ANALYST_FILE = "analyst.sqlite3"
ENTITY_LABELS = {EntityKind.PERSON: "Person", EntityKind.ENTERPRISE: "Enterprise"}

# Record kinds that are themselves things in the graph (not only evidence about an entity).
_DERIVED_LABELS: dict[str, str] = {"case": "Case", "credit_event": "CreditEvent"}


def source_record_node(source: str, source_id: str) -> str:
    return f"SourceRecord:{source}:{source_id}"


def department_node(code: str) -> str:
    return f"Department:{code}"


def _node_ref(node_id: str) -> NodeRef:
    label, _, key = node_id.partition(":")
    return label, key


def entity_node(kind: EntityKind, entity_id: str) -> str:
    return f"{ENTITY_LABELS[kind]}:{entity_id}"


class EmbeddedStore(ResolvingStore):
    """networkx MultiDiGraph plus the journals under `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._journal = Journal(data_dir / JOURNAL_FILE)
        self._entities = EntityJournal(data_dir / ENTITY_FILE)
        self._alerts = AlertJournal(data_dir / ALERT_FILE)
        self._analyst = AnalystJournal(data_dir / ANALYST_FILE)
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._write_lock = threading.Lock()
        self._resolution_lock = threading.RLock()
        self._rebuild()

    def _rebuild(self) -> None:
        for department in Department:
            self._graph.add_node(
                department_node(department.value),
                label="Department", code=department.value, name=DEPARTMENT_NAMES[department],
            )
        for source, source_id, kind, content_hash in self._journal.iter_latest_keys():
            self._add_to_graph(source, source_id, kind, content_hash)
        for link in self._entities.iter_links():
            self._link_in_graph(link.source, link.source_id, link.kind, link.entity_id)
        # The analyst graph as the last refresh wrote it (persisted, not recomputed).
        self._draw_analyst_graph(self._analyst.graph())

    def _draw_analyst_graph(self, graph: AnalystGraph) -> None:
        for node in graph.nodes:
            node_id = f"{node.ref[0]}:{node.ref[1]}"
            if node_id in self._graph:
                self._graph.nodes[node_id].update(node.props)
        for edge in graph.edges:
            start, end = f"{edge.start[0]}:{edge.start[1]}", f"{edge.end[0]}:{edge.end[1]}"
            if start in self._graph and end in self._graph:
                self._graph.add_edge(start, end, key=edge.key, type=edge.type, **edge.props)

    def _link_in_graph(self, source: str, source_id: str, kind: EntityKind, entity_id: str
                       ) -> None:
        node = entity_node(kind, entity_id)
        if node not in self._graph:
            self._graph.add_node(node, label=ENTITY_LABELS[kind], entity_id=entity_id)
        record = source_record_node(source, source_id)
        if not self._graph.has_edge(record, node, key="RESOLVED_TO"):
            self._graph.add_edge(record, node, key="RESOLVED_TO")

    def _redraw_record_links(self, records: set[tuple[str, str]]) -> None:
        """Redraw the RESOLVED_TO edges of some records, then drop every entity left without
        any (with its analyst edges: the Neo4j store relabels it and deletes them)."""
        unlinked: set[str] = set()
        for source, source_id in records:
            record = source_record_node(source, source_id)
            wanted: dict[str, tuple[EntityKind, str]] = {}
            for _slot, entity_id in self._entities.record_entities(source, source_id):
                kind = self._entities.entity_kind(entity_id)
                if kind is not None:
                    wanted[entity_node(kind, entity_id)] = (kind, entity_id)
            if record in self._graph:
                stale = [v for _, v, k in self._graph.out_edges(record, keys=True)
                         if k == "RESOLVED_TO" and v not in wanted]
                for v in stale:
                    self._graph.remove_edge(record, v, key="RESOLVED_TO")
                unlinked.update(stale)
            for kind, entity_id in wanted.values():
                self._link_in_graph(source, source_id, kind, entity_id)
        dropped = [v for v in sorted(unlinked) if not any(
            k == "RESOLVED_TO" for _, _, k in self._graph.in_edges(v, keys=True))]
        self._graph.remove_nodes_from(dropped)
        self._analyst.drop_edges_of(_node_ref(v) for v in dropped)

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
        # Under the write lock: a push changing the graph mid-walk breaks networkx's views.
        with self._write_lock:
            if start not in self._graph:
                return set()
            reached = nx.single_source_shortest_path_length(
                self._graph.to_undirected(as_view=True), start, cutoff=hops
            )
        return {_node_ref(n) for n in reached if n != start}

    def counts(self) -> StoreCounts:
        by_kind, by_source, versions = self._journal.counts()
        with self._write_lock:
            labels = Counter(label for _, label in self._graph.nodes(data="label"))
            edges = Counter(type_ or key for _, _, key, type_
                            in self._graph.edges(keys=True, data="type"))
        return StoreCounts(
            records_by_kind=by_kind, records_by_source=by_source, record_versions=versions,
            nodes_by_label=dict(labels), edges_by_type=dict(edges),
        )

    # --- resolution -------------------------------------------------------------------

    def resolution_lock(self) -> AbstractContextManager[None]:
        return _Held(self._resolution_lock)

    def allocate_entity_ids(self, kind: EntityKind, count: int) -> list[str]:
        return self._entities.allocate_ids(kind, count)

    def write_resolution(self, change: ResolutionWrite) -> None:
        with self._write_lock:
            touched = {(link.source, link.source_id) for link in change.links}
            for absorbed, _ in change.merges:
                touched.update((m.source, m.source_id) for m in self._entities.members(absorbed))
            for mention_id, _ in change.moves:
                link = self._entities.mention(mention_id)
                if link is not None:
                    touched.add((link.source, link.source_id))
            self._entities.write(change)
            self._redraw_record_links(touched)

    def mention_candidates(self, kind: EntityKind, keys: Sequence[str], per_key: int
                           ) -> list[MentionLink]:
        return self._entities.candidates(kind, keys, per_key)

    def key_count(self, key: str) -> int:
        return self._entities.key_count(key)

    def mention_total(self, kind: EntityKind) -> int:
        return self._entities.mention_total(kind)

    def entity_total(self, kind: EntityKind) -> int:
        return self._entities.entity_counts().get(kind.value, 0)

    def resolve_entity(self, entity_id: str) -> str | None:
        return self._entities.resolve_entity(entity_id)

    def entity_members(self, entity_id: str) -> list[MentionLink]:
        return self._entities.members(entity_id)

    def mention_link(self, mention_id: str) -> MentionLink | None:
        return self._entities.mention(mention_id)

    def mention_assignments(self, kind: EntityKind) -> dict[str, str]:
        return self._entities.assignments(kind)

    def entity_events(self, entity_id: str | None = None) -> list[EntityEvent]:
        return self._entities.events(entity_id)

    def review_items(self, state: ReviewState | None = ReviewState.OPEN, limit: int = 100,
                     offset: int = 0) -> list[ReviewItem]:
        return self._entities.reviews(state, limit, offset)

    def review_count(self, state: ReviewState = ReviewState.OPEN) -> int:
        return self._entities.review_count(state)

    def review_item(self, review_id: str) -> ReviewItem | None:
        return self._entities.review(review_id)

    def reviewer_constraints(self) -> list[ReviewerConstraint]:
        return self._entities.constraints()

    # --- analyst graph -----------------------------------------------------------------

    def replace_analyst_graph(self, graph: AnalystGraph) -> None:
        with self._write_lock:
            self._analyst.replace(graph)
            old = [(u, v, k) for u, v, k, t in self._graph.edges(keys=True, data="type")
                   if t in ANALYST_EDGE_TYPES]
            self._graph.remove_edges_from(old)
            self._draw_analyst_graph(graph)

    # --- alerts -------------------------------------------------------------------------

    def put_alerts(self, alerts: Sequence[Alert],
                   expected: Mapping[str, datetime | None] | None = None) -> None:
        self._alerts.put(alerts, expected)

    def get_alert(self, alert_id: str) -> Alert | None:
        return self._alerts.get(alert_id)

    def list_alerts(self, state: AlertState | None = None, rule: str | None = None,
                    level: AlertLevel | None = None, entity: str | None = None,
                    limit: int = 100, offset: int = 0) -> list[Alert]:
        return self._alerts.select(state, rule, level, entity, limit, offset)

    def related_alerts(self, causes: Sequence[tuple[str, str]], cases: Sequence[str]
                       ) -> dict[tuple[str, str], list[Alert]]:
        return self._alerts.related(causes, cases)

    def close(self) -> None:
        self._journal.close()
        self._entities.close()
        self._alerts.close()
        self._analyst.close()


class _Held:
    """A lock as a context manager typed for the port."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
