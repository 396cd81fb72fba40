"""Fixtures shared by the whole suite, including the store fixture that runs the store
contract on both stores.

Tests marked `neo4j` need a real server. `./scripts/test.sh` (and so CI) starts one; when
none answers, they are skipped with a message saying how to start it — except under CI
(`CI=true`), where a missing server is a failure, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.settings import Settings
from cypher.catalog import statement
from graph.embedded_store import EmbeddedStore
from graph.errors import StoreUnavailable
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore


def neo4j_password(settings: Settings) -> str:
    if settings.neo4j_password is not None:
        return settings.neo4j_password.get_secret_value()
    password_file = settings.data_dir / "neo4j" / "password"
    if password_file.is_file():
        return password_file.read_text(encoding="utf-8").strip()
    return ""


@pytest.fixture(scope="session")
def neo4j_settings() -> Settings:
    return Settings()


@pytest.fixture
def neo4j_store(neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    settings = neo4j_settings
    try:
        store = Neo4jStore.connect(settings.neo4j_uri, settings.neo4j_user,
                                   neo4j_password(settings), settings.neo4j_database)
    except StoreUnavailable as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no Neo4j server: {exc}. Start one with `.venv/bin/wutong neo4j start` "
                    "or run ./scripts/test.sh, which starts it")
    with store._session() as session:
        session.run(statement("delete_all")).consume()
    store.apply_schema()
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
