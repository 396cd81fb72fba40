"""An API client per test, on each store, with one key of every role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import KeyStore, Role
from api.settings import Settings


@dataclass
class Api:
    client: TestClient
    settings: Settings
    keys: dict[str, str]  # role (and "other_pusher") → plaintext key

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}


def make_keys(settings: Settings) -> dict[str, str]:
    store = KeyStore(settings.api_dir / "keys.sqlite3")
    try:
        made = {role.value: store.create(role, "hotline81890" if role is Role.PUSHER else None,
                                         f"test {role.value}")[1] for role in Role}
        made["other_pusher"] = store.create(Role.PUSHER, "labour", "test labour pusher")[1]
    finally:
        store.close()
    return made


def api_settings(request: pytest.FixtureRequest, tmp_path: Path, store: str) -> Settings:
    if store == "embedded":
        return Settings(data_dir=tmp_path, store="embedded")
    request.getfixturevalue("neo4j_store")  # empties the disposable server
    base: Settings = request.getfixturevalue("neo4j_settings")
    return Settings(data_dir=tmp_path, store="neo4j", neo4j_uri=base.neo4j_uri,
                    neo4j_user=base.neo4j_user, neo4j_password=base.neo4j_password_value(),
                    neo4j_database=base.neo4j_database)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The API on each store in turn."""
    settings = api_settings(request, tmp_path, request.param)
    keys = make_keys(settings)
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings, keys)


@pytest.fixture
def embedded_api(tmp_path: Path) -> Iterator[Api]:
    """The API on the embedded store only (tests of the HTTP layer itself)."""
    settings = Settings(data_dir=tmp_path, store="embedded")
    keys = make_keys(settings)
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings, keys)
