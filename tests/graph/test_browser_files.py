"""The saved queries and the style analysts load into Neo4j Browser."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from api.analytics import refresh_analyst_graph
from api.settings import Settings
from graph.neo4j_store import Neo4jStore
from loaders.generator import generate
from loaders.generator.clock import REFERENCE_DATE
from resolver.batch import ResolveOptions
from resolver.store_resolution import resolve_store
from tests.graph.test_differential import load_everything

BROWSER = files("cypher").joinpath("browser")
QUERIES = sorted(p.name for p in BROWSER.iterdir() if p.name.endswith(".cypher"))


def test_every_saved_query_says_what_it_answers() -> None:
    assert len(QUERIES) >= 5
    for name in QUERIES:
        text = BROWSER.joinpath(name).read_text("utf-8")
        assert text.startswith("//"), f"{name} must open with a comment saying what it answers"
        for parameter in set(re.findall(r"\$(\w+)", text)):
            assert f":param {parameter}" in text, f"{name} must say how to set ${parameter}"


def test_style_tells_kinds_apart_and_never_captions_an_id() -> None:
    style = BROWSER.joinpath("style.grass").read_text("utf-8")
    colours = {}
    for label in ("Person", "Enterprise", "Case", "CreditEvent", "Department"):
        block = re.search(rf"node\.{label} \{{(.*?)\}}", style, flags=re.S)
        assert block is not None, label
        colours[label] = re.search(r"color: (#\w+);", block.group(1)).group(1)  # type: ignore[union-attr]
    assert len(set(colours.values())) == len(colours)
    assert "id_number" not in style and "credit_code" not in style


@pytest.mark.neo4j
@pytest.mark.parametrize("name", QUERIES)
def test_saved_query_is_valid_cypher_on_the_server(name: str, neo4j_store: Neo4jStore) -> None:
    text = BROWSER.joinpath(name).read_text("utf-8")
    with neo4j_store._session() as session:
        session.run("EXPLAIN " + text, entity_id="P-1", top=10).consume()


@pytest.mark.neo4j
def test_every_saved_query_returns_rows_on_resolved_demo_data(
    tmp_path: Path, neo4j_store: Neo4jStore
) -> None:
    data = tmp_path / "data"
    generate(data, people=150, seed=7)
    load_everything(data, neo4j_store, tmp_path / "quarantine")
    resolve_store(neo4j_store, ResolveOptions(), tmp_path / "models")
    graph = refresh_analyst_graph(neo4j_store, Settings(data_dir=tmp_path / "settings"),
                                  REFERENCE_DATE)
    assert graph.edge_counts().get("PARTY_TO", 0) > 0
    # An entity with cases and a credit event, as an analyst would pick one.
    subjects = {e.start[1] for e in graph.edges if e.type == "SUBJECT_OF"}
    parties = {e.start[1] for e in graph.edges if e.type == "PARTY_TO"}
    entity_id = sorted(subjects & parties)[0]
    params = {"entity_id": entity_id, "top": 10}
    with neo4j_store._session() as session:
        for name in QUERIES:
            rows = session.run(BROWSER.joinpath(name).read_text("utf-8"), params).data()
            assert rows, f"{name} returned no rows on resolved demo data"
        clusters = session.run(BROWSER.joinpath("largest_conflict_clusters.cypher")
                               .read_text("utf-8"), params).data()
    assert len(clusters) == 10
    assert clusters[0]["size"] >= clusters[-1]["size"] > 1
    # Captions and member lists show names, never an ID number or credit code.
    assert all(name and not re.search(r"[0-9A-Z]{15,}", name)
               for row in clusters for name in row["members"])
