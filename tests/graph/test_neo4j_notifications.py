"""The store's driver asks the server not to warn about names the graph has not seen yet:
pushes into a young graph used to flood stderr with "property key does not exist"."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from api.settings import Settings
from graph.neo4j_store import Neo4jStore

UNKNOWN_NAMES = (Path(__file__).parent / "fixtures" / "unknown_names.cypher").read_text(
    encoding="utf-8")


def _notification_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith("neo4j.notifications") and r.levelno >= logging.WARNING]


@pytest.mark.neo4j
def test_unknown_names_raise_no_warning_through_the_store(
    neo4j_store: Neo4jStore, neo4j_settings: Settings, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="neo4j.notifications")
    # The same read through a driver without the filter warns: the check below means
    # something only if the server does send these notifications.
    with GraphDatabase.driver(neo4j_settings.neo4j_uri, auth=(
            neo4j_settings.neo4j_user, neo4j_settings.neo4j_password_value())) as plain, \
            plain.session(database=neo4j_settings.neo4j_database) as session:
        session.run(UNKNOWN_NAMES).consume()
    assert any("does not exist" in m for m in _notification_warnings(caplog))
    caplog.clear()

    with neo4j_store._session() as session:
        assert session.run(UNKNOWN_NAMES).single() is None
    assert _notification_warnings(caplog) == []
