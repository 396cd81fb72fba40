"""SIGKILL in the middle of pushes: after a restart every acknowledged record is there
exactly once, and pushing everything again creates nothing twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from api.stores import open_store
from graph.store import ResolvingStore
from tests.api.conftest import api_settings, make_keys
from tests.api.records_data import person
from tests.api.server import Server

BATCH = 5
BATCHES = 60


def _batches() -> list[list[dict[str, Any]]]:
    return [[person(f"K-{b}-{i}", id_number=None, phone=f"139{b:04d}{i:04d}",
                    name=f"测试{b}号{i}")
             for i in range(BATCH)] for b in range(BATCHES)]


def _pusher(url: str, key: str, batches: list[list[dict[str, Any]]],
            acknowledged: list[str], stop: threading.Event) -> None:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"},
                      timeout=30.0) as client:
        for batch in batches:
            if stop.is_set():
                return
            try:
                response = client.post("/v1/records", json={"records": batch})
            except httpx.HTTPError:
                return  # the server died under this push: not acknowledged
            if response.status_code == 200:
                acknowledged.extend(r["source_id"] for r in batch)


@pytest.mark.slow
@pytest.mark.parametrize("store_kind", ["embedded", pytest.param("neo4j",
                                                                 marks=pytest.mark.neo4j)])
def test_sigkill_mid_push_loses_no_acknowledged_record(
        request: pytest.FixtureRequest, tmp_path: Path, store_kind: str) -> None:
    settings = api_settings(request, tmp_path, store_kind)
    keys = make_keys(settings)
    batches = _batches()
    log = tmp_path / "server.log"
    server = Server(settings, log)
    acknowledged: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=_pusher, args=(server.url, keys["pusher"], batches,
                                                    acknowledged, stop))
    thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 10 * BATCH and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # in the middle of a push
    stop.set()
    thread.join(30)
    assert 10 * BATCH <= len(acknowledged) < BATCHES * BATCH, "the kill missed the pushes"

    server = Server(settings, log)
    try:
        outcomes: dict[str, str] = {}
        with httpx.Client(base_url=server.url, timeout=60.0,
                          headers={"Authorization": f"Bearer {keys['pusher']}"}) as client:
            for batch in batches:
                answer = client.post("/v1/records", json={"records": batch})
                assert answer.status_code == 200, answer.text
                outcomes.update((r["source_id"], r["outcome"]) for r in answer.json()["results"])
    finally:
        server.stop()
    assert all(outcomes[s] == "duplicate" for s in acknowledged)
    assert set(outcomes.values()) <= {"duplicate", "accepted"}  # never a second version
    _every_record_once(settings, [r["source_id"] for b in batches for r in b])


def _every_record_once(settings: Settings, source_ids: list[str]) -> None:
    with open_store(settings) as store:
        assert isinstance(store, ResolvingStore)
        for source_id in source_ids:
            assert len(store.record_history("hotline81890", source_id)) == 1, source_id
            link = store.mention_link(f"hotline81890:{source_id}")
            assert link is not None, source_id
        counts = store.counts()
    assert counts.records_by_kind == {"person": len(source_ids)}
    assert counts.record_versions == len(source_ids)
