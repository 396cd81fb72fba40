"""Fixtures shared by the whole suite, including the store fixture that runs the store
contract on both stores.

Tests marked `neo4j` need a real, disposable server: they empty its database. They run
only when WUTONG_TEST_NEO4J=disposable says the configured server may be emptied;
`./scripts/test.sh` (and so CI) starts such a server on its own ports and sets it.
Otherwise they are skipped with a message saying how to run them — except under CI
(`CI=true`), where a missing server is a failure, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.settings import Settings
from graph.embedded_store import EmbeddedStore
from graph.errors import StoreUnavailable
from graph.neo4j_store import Neo4jStore, delete_everything
from graph.store import GraphStore


@pytest.fixture(scope="session")
def neo4j_settings() -> Settings:
    return Settings()


@pytest.fixture
def neo4j_store(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    settings = neo4j_settings
    if os.environ.get("WUTONG_TEST_NEO4J") != "disposable":
        message = ("Neo4j tests empty the database, so they run only against a disposable "
                   "server: run ./scripts/test.sh, which starts one")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        store = Neo4jStore.connect(settings.neo4j_uri, settings.neo4j_user,
                                   settings.neo4j_password_value(), settings.neo4j_database)
    except StoreUnavailable as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no Neo4j server: {exc}. Run ./scripts/test.sh, which starts one")
    delete_everything(store)
    yield store
    store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """Each store in turn: a test using it is part of the store contract."""
    if request.param == "embedded":
        with EmbeddedStore(tmp_path / "embedded") as embedded:
            yield embedded
    else:
        yield request.getfixturevalue("neo4j_store")
