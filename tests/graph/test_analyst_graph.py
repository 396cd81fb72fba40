"""The analyst graph (graph.analyst_model): built from the resolved network, written
through the store port, replaced by each refresh, kept across restarts, and trimmed when
an entity is merged away between refreshes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.analytics import refresh_analyst_graph
from api.settings import Settings
from graph.analyst_model import ANALYST_EDGE_TYPES, PARTY_TO, AnalystGraph
from graph.embedded_store import EmbeddedStore
from graph.entities import ResolutionWrite
from graph.store import GraphStore, ResolvingStore
from loaders.generator import generate
from loaders.generator.clock import REFERENCE_DATE
from resolver.batch import ResolveOptions
from resolver.store_resolution import resolve_store
from tests.graph.test_differential import load_everything


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("analyst") / "data"
    generate(data, people=80, seed=3)
    return data


def _resolved(store: GraphStore, data: Path, tmp_path: Path) -> Iterator[AnalystGraph]:
    assert isinstance(store, ResolvingStore)
    load_everything(data, store, tmp_path / "quarantine")
    resolve_store(store, ResolveOptions(), tmp_path / "models")
    yield refresh_analyst_graph(store, Settings(data_dir=tmp_path / "settings"),
                                REFERENCE_DATE)


def test_the_graph_has_every_edge_type_and_no_identifier(demo_data: Path, tmp_path: Path
                                                         ) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        graph = next(_resolved(store, demo_data, tmp_path))
    counts = graph.edge_counts()
    assert set(counts) == set(ANALYST_EDGE_TYPES), counts
    roles = {e.props["role"] for e in graph.edges if e.type == PARTY_TO}
    assert roles <= {"applicant", "respondent", "third_party"} and "respondent" in roles
    text = repr([n.props for n in graph.nodes])
    assert not re.search(r"\d{17}[\dX]|[0-9A-HJ-NPQRTUWXY]{18}", text)
    entities = [n for n in graph.nodes if n.ref[0] in ("Person", "Enterprise")]
    assert entities and all(n.props["name"] and n.props["cluster"] and
                            n.props["risk_level"] for n in entities)
    # Saved queries compare expiry dates with the day the scores are for, not the calendar.
    assert {n.props["risk_as_of"] for n in entities} == {REFERENCE_DATE.isoformat()}


def test_refresh_replaces_and_survives_a_restart(demo_data: Path, tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        graph = next(_resolved(store, demo_data, tmp_path))
        counts = store.counts()
        assert {t: counts.edges_by_type[t] for t in ANALYST_EDGE_TYPES} == graph.edge_counts()
        refresh_analyst_graph(store, Settings(data_dir=tmp_path / "settings"), REFERENCE_DATE)
        assert store.counts() == counts
        person = next(n for n in graph.nodes if n.ref[0] == "Person")
        before = store.neighbourhood(person.ref, 2)
    with EmbeddedStore(tmp_path / "store") as reopened:
        assert reopened.counts() == counts
        assert reopened.neighbourhood(person.ref, 2) == before
        node = reopened._graph.nodes[f"Person:{person.ref[1]}"]
        assert node["name"] == person.props["name"]
        assert node["cluster"] == person.props["cluster"]


def test_an_entity_merged_away_loses_its_analyst_edges(store: GraphStore, demo_data: Path,
                                                       tmp_path: Path) -> None:
    assert isinstance(store, ResolvingStore)
    graph = next(_resolved(store, demo_data, tmp_path))
    people = sorted({e.start[1] for e in graph.edges
                     if e.type == PARTY_TO and e.start[0] == "Person"})
    absorbed, survivor = people[0], people[1]
    own = sum(1 for e in graph.edges if absorbed in (e.start[1], e.end[1]))
    before = store.counts()
    assert store.neighbourhood(("Person", absorbed), 1)
    store.write_resolution(ResolutionWrite(merges=[(absorbed, survivor)]))
    after = store.counts()
    assert sum(after.edges_by_type.get(t, 0) for t in ANALYST_EDGE_TYPES) == sum(
        before.edges_by_type.get(t, 0) for t in ANALYST_EDGE_TYPES) - own
    assert store.neighbourhood(("Person", absorbed), 1) == set()
    if isinstance(store, EmbeddedStore):
        store.close()
        with EmbeddedStore(store.data_dir) as reopened:
            assert reopened.counts() == after
