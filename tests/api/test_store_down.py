"""The store unavailable during a push or a readiness check: 503 with Retry-After, nothing
half-written, and the API recovers by itself when the store is back."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver, GraphDatabase

from api.services import Services
from graph.errors import StoreUnavailable
from graph.neo4j_store import Neo4jStore
from resolver.mentions import Mention
from resolver.online import MentionOutcome
from tests.api.conftest import Api
from tests.api.records_data import three_huang_fang


def _services(api: Api) -> Services:
    services: Services = api.client.app.state.services  # type: ignore[attr-defined]
    return services


def _push(api: Api) -> Any:
    return api.client.post("/v1/records", json={"records": three_huang_fang()},
                           headers=api.auth("pusher"))


def _stats(api: Api) -> dict[str, Any]:
    answer: dict[str, Any] = api.client.get("/v1/stats", headers=api.auth("analyst")).json()
    return answer


def _store_goes_away(api: Api, monkeypatch: pytest.MonkeyPatch) -> Driver | None:
    """Make the store unreachable; returns the dead driver to close afterwards, if any."""
    store = _services(api).store
    if isinstance(store, Neo4jStore):  # a real driver to a port nobody listens on
        # (The driver retries a failed transaction for max_transaction_retry_time, 30 s
        # by default, before the API answers 503; shortened here.)
        dead = GraphDatabase.driver("bolt://127.0.0.1:9", auth=("neo4j", "x"),
                                    connection_timeout=1.0, max_transaction_retry_time=1.0)
        monkeypatch.setattr(store, "_driver", dead)
        return dead

    def down(*args: object, **kwargs: object) -> None:
        raise StoreUnavailable("the disk went away")

    for name in ("append_records", "get_record"):
        monkeypatch.setattr(store, name, down)
    return None


def test_a_push_while_the_store_is_down_gets_503_and_nothing_is_written(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _stats(api)
    with monkeypatch.context() as patch:
        dead = _store_goes_away(api, patch)
        try:
            response = _push(api)
            assert response.status_code == 503
            assert int(response.headers["Retry-After"]) > 0
            ready = api.client.get("/ready")
            assert (ready.status_code, ready.json()["status"]) == (503, "unavailable")
            assert "Retry-After" in ready.headers
        finally:
            if dead is not None:
                dead.close()
    assert _stats(api) == before  # nothing half-written
    assert api.client.get("/ready").status_code == 200  # back by itself
    assert _push(api).json()["accepted"] == 3


def test_a_push_cut_short_during_resolution_is_completed_by_pushing_again(
        embedded_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = _services(embedded_api).resolver
    calls = 0
    real = resolver.resolve_mention

    def flaky(mention: Mention) -> MentionOutcome:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise StoreUnavailable("gone for a moment")
        return real(mention)

    monkeypatch.setattr(resolver, "resolve_mention", flaky)
    assert _push(embedded_api).status_code == 503  # journalled, not fully resolved
    again = _push(embedded_api).json()
    assert again["duplicates"] == 3
    assert all(r["mentions"] and r["mentions"][0]["entity_id"] for r in again["results"])
    store = _services(embedded_api).store
    assert {m.mention_id for m in store.entity_members(again["results"][0]["mentions"][0][
        "entity_id"])} == {"hotline81890:H-0", "hotline81890:H-1"}
