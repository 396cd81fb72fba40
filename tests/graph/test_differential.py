"""The same generated data loaded through both stores must answer the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded_store import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from graph.vocabulary import Department
from loaders.generator import generate
from loaders.mapping import shipped_mapping
from loaders.pipeline import LoadReport, load_path


def load_everything(data: Path, store: GraphStore, quarantine: Path) -> list[LoadReport]:
    return [
        load_path(data / d.value, mapping=shipped_mapping(d), store=store,
                  quarantine_dir=quarantine, batch_size=500)
        for d in Department if (data / d.value).is_dir()
    ]


@pytest.mark.neo4j
def test_embedded_and_neo4j_answer_alike_on_generated_data(
    tmp_path: Path, neo4j_store: Neo4jStore
) -> None:
    data = tmp_path / "data"
    generate(data, people=250, seed=11)
    with EmbeddedStore(tmp_path / "embedded") as embedded:
        embedded_reports = load_everything(data, embedded, tmp_path / "q1")
        neo4j_reports = load_everything(data, neo4j_store, tmp_path / "q2")
        assert [(r.read, r.loaded, r.quarantined) for r in embedded_reports] == [
            (r.read, r.loaded, r.quarantined) for r in neo4j_reports
        ]
        assert embedded.counts() == neo4j_store.counts()
        assert embedded.counts().records > 1000

        def contents(store: GraphStore) -> dict[tuple[str, str], tuple[str, object]]:
            return {s.key: (s.content_hash, s.record) for s in store.iter_records()}

        assert contents(embedded) == contents(neo4j_store)
        for kind in ("case", "credit_event"):
            assert [s.key for s in embedded.iter_records(kind=kind)] == [
                s.key for s in neo4j_store.iter_records(kind=kind)
            ]
        starts = [("Department", "court")] + [
            ("Case", f"{s.record.source.value}:{s.record.source_id}")
            for s in list(embedded.iter_records(kind="case"))[::97]
        ] + [("SourceRecord", f"{s.key[0]}:{s.key[1]}")
             for s in list(embedded.iter_records(kind="person"))[::53]]
        for start in starts:
            for hops in (1, 2, 3):
                assert embedded.neighbourhood(start, hops) == neo4j_store.neighbourhood(
                    start, hops), (start, hops)
        again = load_everything(data, neo4j_store, tmp_path / "q3")
        assert sum(r.loaded for r in again) == 0
        assert embedded.counts() == neo4j_store.counts()


@pytest.mark.neo4j
def test_both_stores_hold_the_same_analyst_graph_after_resolution(
    tmp_path: Path, neo4j_store: Neo4jStore
) -> None:
    from api.analytics import refresh_analyst_graph
    from api.settings import Settings
    from graph.analyst_model import ANALYST_EDGE_TYPES
    from loaders.generator.clock import REFERENCE_DATE
    from resolver.batch import ResolveOptions
    from resolver.store_resolution import resolve_store

    data = tmp_path / "data"
    generate(data, people=120, seed=17)
    settings = Settings(data_dir=tmp_path / "settings")
    with EmbeddedStore(tmp_path / "embedded") as embedded:
        for store, models in ((embedded, "m1"), (neo4j_store, "m2")):
            load_everything(data, store, tmp_path / f"q-{models}")
            resolve_store(store, ResolveOptions(), tmp_path / models)
            refresh_analyst_graph(store, settings, REFERENCE_DATE)
        counts = embedded.counts()
        assert all(counts.edges_by_type.get(t, 0) > 0 for t in ANALYST_EDGE_TYPES), counts
        assert counts == neo4j_store.counts()
        # A second refresh replaces, never adds.
        refresh_analyst_graph(neo4j_store, settings, REFERENCE_DATE)
        assert neo4j_store.counts() == counts
        graph = embedded._graph
        entities = sorted(n for n, label in graph.nodes(data="label")
                          if label in ("Person", "Enterprise"))
        starts = [("Department", "court")]
        starts += [(n.split(":", 1)[0], n.split(":", 1)[1]) for n in entities[::7]]
        starts += [("Case", f"{s.record.source.value}:{s.record.source_id}")
                   for s in list(embedded.iter_records(kind="case"))[::41]]
        starts += [("CreditEvent", f"{s.record.source.value}:{s.record.source_id}")
                   for s in list(embedded.iter_records(kind="credit_event"))[::5]]
        for start in starts:
            for hops in (1, 2):
                assert embedded.neighbourhood(start, hops) == neo4j_store.neighbourhood(
                    start, hops), (start, hops)
