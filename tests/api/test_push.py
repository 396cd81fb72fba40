"""POST /v1/records: outcomes, idempotency, limits, malformed and invalid bodies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.push import PushedRecord
from api.settings import Settings
from tests.api.conftest import Api, make_keys
from tests.api.records_data import person, three_huang_fang


def _push(api: Api, records: list[Any], who: str = "pusher",
          **params: str) -> dict[str, Any]:
    response = api.client.post("/v1/records", json={"records": records},
                               headers=api.auth(who), params=params)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_each_record_gets_its_outcome_and_a_repeat_changes_nothing(api: Api) -> None:
    first = _push(api, three_huang_fang())
    assert (first["accepted"], first["duplicates"], first["rejected"]) == (3, 0, 0)
    results = first["results"]
    assert isinstance(results, list)
    decisions = [r["mentions"][0]["decision"] for r in results]
    assert decisions == ["new", "link", "review"]
    assert results[0]["mentions"][0]["entity_id"] == results[1]["mentions"][0]["entity_id"]
    stats_before = api.client.get("/v1/stats", headers=api.auth("analyst")).json()

    again = _push(api, three_huang_fang())
    assert (again["accepted"], again["duplicates"]) == (0, 3)
    assert [r["mentions"] for r in again["results"]] == [r["mentions"] for r in results]
    assert api.client.get("/v1/stats", headers=api.auth("analyst")).json() == stats_before
    queue = api.client.get("/v1/review", headers=api.auth("analyst")).json()
    assert queue["page"]["total"] == 1

    changed = _push(api, [person("H-0", address="宁波市海曙区中山西路88号3幢")])
    assert changed["new_versions"] == 1
    stats = api.client.get("/v1/stats", headers=api.auth("analyst")).json()
    assert stats["record_versions"] == stats_before["record_versions"] + 1
    assert stats["records_by_kind"] == {"person": 3}


def test_a_pusher_writes_only_its_own_department(api: Api) -> None:
    response = api.client.post("/v1/records", json={"records": [person("H-0")]},
                               headers=api.auth("other_pusher"))
    assert response.status_code == 403
    stats = api.client.get("/v1/stats", headers=api.auth("analyst")).json()
    assert stats["records_by_kind"] == {}
    assert _push(api, [person("L-1", source="labour")], who="other_pusher")["accepted"] == 1
    assert _push(api, [person("L-2", source="labour")], who="admin")["accepted"] == 1


def test_malformed_json_is_400_and_schema_errors_422_name_record_and_field(
        embedded_api: Api) -> None:
    client, auth = embedded_api.client, embedded_api.auth("pusher")
    assert client.post("/v1/records", content=b'{"records": [', headers=auth).status_code == 400
    assert client.post("/v1/records", content=b"\xff\xfe", headers=auth).status_code == 400
    assert client.post("/v1/records", json=[1, 2], headers=auth).status_code == 422
    assert client.post("/v1/records", json={"records": []}, headers=auth).status_code == 422
    bad = [person("H-0"), person("H-1", id_number="12345"), {"kind": "case"}, "text"]
    response = client.post("/v1/records", json={"records": bad}, headers=auth)
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert {"index": 1, "field": "id_number"}.items() <= problems[0].items()
    assert problems[0]["loc"] == ["body", "records", 1, "id_number"]
    assert {p["index"] for p in problems} == {1, 2, 3}
    assert "source" in {p["field"] for p in problems if p["index"] == 2}
    stats = client.get("/v1/stats", headers=auth).json()
    assert stats["records_by_kind"] == {}  # nothing of a failed batch is stored

    skipped = _push(embedded_api, bad, on_invalid="skip")
    assert (skipped["accepted"], skipped["rejected"]) == (1, 3)
    assert skipped["results"][1]["errors"][0]["field"] == "id_number"


def test_bodies_and_batches_over_the_limits_get_413(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, api_max_records=2, api_max_body_bytes=4096)
    keys = make_keys(settings)
    auth = {"Authorization": f"Bearer {keys['pusher']}"}
    with TestClient(create_app(settings)) as client:
        three = {"records": [person(f"H-{i}") for i in range(3)]}
        assert client.post("/v1/records", json=three, headers=auth).status_code == 413
        big = {"records": [person("H-0", address="宁" * 3000)]}
        assert len(json.dumps(big).encode()) > 4096
        assert client.post("/v1/records", json=big, headers=auth).status_code == 413
        two = {"records": [person(f"H-{i}") for i in range(2)]}
        assert client.post("/v1/records", json=two, headers=auth).status_code == 200


def test_post_push_callbacks_receive_the_stored_records_and_outcomes(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    keys = make_keys(settings)
    seen: list[list[PushedRecord]] = []

    def failing(pushed: Sequence[PushedRecord]) -> None:
        raise RuntimeError("the network upkeep broke")

    app = create_app(settings)
    app.state.post_push_callbacks.extend([lambda pushed: seen.append(list(pushed)), failing])
    with TestClient(app) as client:
        response = client.post("/v1/records", json={"records": three_huang_fang()},
                               headers={"Authorization": f"Bearer {keys['pusher']}"})
        assert response.status_code == 200  # a failing callback never undoes a push
        metrics = client.get("/metrics").text
    assert [p.record.source_id for p in seen[0]] == ["H-0", "H-1", "H-2"]
    assert [p.outcome.value for p in seen[0]] == ["accepted"] * 3
    assert seen[0][1].mentions[0].entity_id == seen[0][0].mentions[0].entity_id
    assert "wutong_post_push_callback_failures_total 1.0" in metrics
    assert 'wutong_records_pushed_total{outcome="accepted"} 3.0' in metrics
