"""Clusters, risk and performance read through the store port: the same generated data,
loaded and resolved in each store, must give identical analytics."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from api.analytics import load_network
from api.settings import Settings
from graph.cluster_summary import summarise
from graph.clusters import ConflictClusters
from graph.embedded_store import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.performance import department_performance
from graph.risk import RiskScorer, load_weights
from graph.store import ResolvingStore
from loaders.generator import generate
from resolver.batch import ResolveOptions
from resolver.store_resolution import resolve_store
from tests.graph.test_differential import load_everything

DAY = date(2026, 11, 1)


def analytics(store: ResolvingStore) -> dict[str, object]:
    network = load_network(store, Settings())
    clusters = ConflictClusters.full(network)
    scorer = RiskScorer(network, load_weights(), DAY)
    found = clusters.clusters()
    return {
        "parts": sorted(sorted(p) for p in clusters.parts()),
        "clusters": [(c.cluster_id, sorted(c.entities)) for c in found],
        "summaries": [asdict(summarise(network, c, DAY)) for c in found],
        "cluster_risk": [scorer.cluster(c) for c in found],
        "risk": {e: scorer.entity(e) for e in sorted(network.entities())},
        "departments": department_performance(network, DAY),
    }


@pytest.mark.neo4j
def test_clusters_risk_and_performance_are_identical_on_both_stores(
    tmp_path: Path, neo4j_store: Neo4jStore
) -> None:
    data = tmp_path / "data"
    generate(data, people=200, seed=13)
    with EmbeddedStore(tmp_path / "embedded") as embedded:
        load_everything(data, embedded, tmp_path / "q1")
        load_everything(data, neo4j_store, tmp_path / "q2")
        for store, models in ((embedded, "m1"), (neo4j_store, "m2")):
            resolve_store(store, ResolveOptions(), tmp_path / models)
        left, right = analytics(embedded), analytics(neo4j_store)
    assert len(left["clusters"]) > 10  # type: ignore[arg-type]
    assert any(r.score > 0 for r in left["risk"].values())  # type: ignore[attr-defined]
    for key in left:
        assert left[key] == right[key], key
