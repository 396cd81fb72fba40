"""The saved queries and the style analysts load into Neo4j Browser."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from graph.neo4j_store import Neo4jStore

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
        session.run("EXPLAIN " + text, entity_id="P-1").consume()
