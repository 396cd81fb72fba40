"""Neo4j stopped while the API runs: pushes get 503 with Retry-After and leave nothing
half-written; when Neo4j is back the API recovers by itself (no restart)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from graph import neo4j_server
from tests.api.conftest import make_keys
from tests.api.records_data import person
from tests.api.server import Server, free_port


@pytest.mark.neo4j
@pytest.mark.slow
def test_pushes_get_503_while_neo4j_is_down_and_succeed_once_it_is_back(
        request: pytest.FixtureRequest, tmp_path: Path) -> None:
    request.getfixturevalue("neo4j_store")  # runs only where a disposable Neo4j may run
    bolt, http = free_port(), free_port()
    settings = Settings(data_dir=tmp_path, store="neo4j", neo4j_bolt_port=bolt,
                        neo4j_http_port=http, neo4j_max_retry_seconds=2.0)
    home, data = settings.neo4j_home, settings.neo4j_server_dir

    def start_neo4j() -> None:
        neo4j_server.start(home, data, bolt, http, settings.neo4j_password_file, 180.0)

    neo4j_server.install(home)
    start_neo4j()
    server = None
    try:
        keys = make_keys(settings)
        server = Server(settings, tmp_path / "api.log")
        with httpx.Client(base_url=server.url, timeout=120.0,
                          headers={"Authorization": f"Bearer {keys['pusher']}"}) as client:
            assert client.post("/v1/records", json={"records": [person("O-1")]}
                               ).status_code == 200
            neo4j_server.stop(data)
            down = client.post("/v1/records", json={"records": [person("O-2"), person("O-3")]})
            assert down.status_code == 503
            assert int(down.headers["Retry-After"]) > 0
            assert client.get("/ready").status_code == 503
            start_neo4j()
            back = client.post("/v1/records", json={"records": [person("O-2"), person("O-3")]})
            assert back.status_code == 200, back.text
            # Nothing of the failed push had been written: both are new now.
            assert [r["outcome"] for r in back.json()["results"]] == ["accepted", "accepted"]
            assert client.get("/ready").status_code == 200
    finally:
        if server is not None:
            server.stop()
        neo4j_server.stop(data)
