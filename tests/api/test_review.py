"""Review decisions and splits take effect at once and later resolution obeys them."""

from __future__ import annotations

from typing import Any

from resolver.identifiers import id_check_digit
from tests.api.conftest import Api
from tests.api.records_data import ID_NUMBER, person, three_huang_fang

REVIEW_ID = "hotline81890:H-0~hotline81890:H-2"
OTHER_ID = "33020319900101123" + id_check_digit("33020319900101123")  # valid, not H-0's


def _push(api: Api, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = api.client.post("/v1/records", json={"records": records},
                               headers=api.auth("pusher"))
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def _entity(results: list[dict[str, Any]], index: int) -> str:
    entity: str = results[index]["mentions"][0]["entity_id"]
    return entity


def _decide(api: Api, decision: str, review_id: str = REVIEW_ID) -> dict[str, Any]:
    response = api.client.post(f"/v1/review/{review_id}/decision",
                               json={"decision": decision, "note": "checked the files"},
                               headers=api.auth("reviewer"))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _queue(api: Api, state: str = "open") -> dict[str, Any]:
    answer: dict[str, Any] = api.client.get("/v1/review", params={"state": state},
                                            headers=api.auth("reviewer")).json()
    return answer


def test_the_queue_is_paginated(api: Api) -> None:
    _push(api, three_huang_fang())
    _push(api, [person("H-3", id_number=None, phone="13900001111")])
    queue = _queue(api)
    assert queue["page"]["total"] >= 1
    assert queue["items"][0]["review_id"] == REVIEW_ID
    assert queue["items"][0]["left"]["fields"]["name"] == "黄芳"
    page = api.client.get("/v1/review", params={"limit": 1, "offset": 1},
                          headers=api.auth("reviewer")).json()
    assert page["page"] == {"limit": 1, "offset": 1, "total": queue["page"]["total"]}
    too_many = api.client.get("/v1/review", params={"limit": 100_000},
                              headers=api.auth("reviewer"))
    assert too_many.status_code == 422


def test_merge_takes_effect_and_later_resolution_follows_it(api: Api) -> None:
    results = _push(api, three_huang_fang())
    h0, h2 = _entity(results, 0), _entity(results, 2)
    assert h0 != h2
    decided = _decide(api, "merge")
    assert decided["state"] == "merged"
    assert decided["merged"] == [h2, h0]  # the larger entity survives
    entity = api.client.get(f"/v1/entities/{h2}", headers=api.auth("reviewer")).json()
    assert entity["entity_id"] == h0
    assert {r["source_id"] for r in entity["records"]} == {"H-0", "H-1", "H-2"}
    assert _queue(api)["page"]["total"] == 0
    assert _queue(api, "merged")["items"][0]["decided_by"].startswith("reviewer:")
    # A new version of H-2 that alone would not link (another phone) stays where the
    # reviewer put it.
    again = _push(api, [person("H-2", id_number=None, phone="13900001111")])
    assert again[0]["outcome"] == "new_version"
    assert _entity(again, 0) == h0
    history = api.client.get(f"/v1/entities/{h0}/evidence",
                             headers=api.auth("reviewer")).json()["history"]
    assert "merged" in [e["event"] for e in history]
    assert "review_decided" in [e["event"] for e in history]
    twice = api.client.post(f"/v1/review/{REVIEW_ID}/decision", json={"decision": "merge"},
                            headers=api.auth("reviewer"))
    assert twice.status_code == 409
    unknown = api.client.post("/v1/review/a~b/decision", json={"decision": "merge"},
                              headers=api.auth("reviewer"))
    assert unknown.status_code == 404


def test_keep_apart_is_obeyed_even_when_the_record_later_agrees(api: Api) -> None:
    results = _push(api, three_huang_fang())
    h0, h2 = _entity(results, 0), _entity(results, 2)
    decided = _decide(api, "keep_apart")
    assert (decided["state"], decided["left_entity"], decided["right_entity"]) == (
        "kept_apart", h0, h2)
    # H-2 now carries H-0's ID number: on scores alone it would link to H-0's entity.
    again = _push(api, [person("H-2")])
    assert again[0]["outcome"] == "new_version"
    assert _entity(again, 0) != h0
    assert _queue(api)["page"]["total"] == 0  # not queued again either


def test_split_moves_mentions_and_later_resolution_keeps_them_apart(api: Api) -> None:
    results = _push(api, three_huang_fang())
    h0 = _entity(results, 0)
    assert _entity(results, 1) == h0
    response = api.client.post(f"/v1/entities/{h0}/split",
                               json={"mention_ids": ["hotline81890:H-1"], "note": "namesake"},
                               headers=api.auth("reviewer"))
    assert response.status_code == 200, response.text
    new = response.json()["new_entity_id"]
    assert response.json()["moved"] == ["hotline81890:H-1"]
    moved = api.client.get(f"/v1/entities/{new}", headers=api.auth("analyst")).json()
    assert [r["source_id"] for r in moved["records"]] == ["H-1"]
    # A new version of H-1 (same ID number as H-0) does not go back.
    again = _push(api, [person("H-1", address="宁波市海曙区中山西路88号3幢")])
    assert _entity(again, 0) == new
    assert api.client.post(f"/v1/entities/{h0}/split",
                           json={"mention_ids": ["hotline81890:H-0"]},
                           headers=api.auth("reviewer")).status_code == 409  # would empty it
    assert api.client.post(f"/v1/entities/{h0}/split",
                           json={"mention_ids": ["hotline81890:H-1"]},
                           headers=api.auth("reviewer")).status_code == 404  # not its own
    audit = api.client.get("/v1/audit", params={"action": "split"},
                           headers=api.auth("admin")).json()["entries"]
    # Newest first: each attempt's intent, then its outcome (the refused ones too).
    assert [(e["target"], e["detail"]["phase"]) for e in audit] == [
        (h0, "failed"), (h0, "intent"), (h0, "failed"), (h0, "intent"),
        (h0, "done"), (h0, "intent")]
    assert audit[4]["detail"]["new_entity"] == new


def test_a_reviewer_cannot_merge_two_different_valid_id_numbers(api: Api) -> None:
    results = _push(api, three_huang_fang())
    h0 = _entity(results, 0)
    # Queued while H-2 had no ID number; its new version carries another valid one.
    again = _push(api, [person("H-2", id_number=OTHER_ID)])
    h9 = _entity(again, 0)
    assert h0 != h9
    review_id = REVIEW_ID
    assert review_id in [i["review_id"] for i in _queue(api)["items"]]
    refused = api.client.post(f"/v1/review/{review_id}/decision", json={"decision": "merge"},
                              headers=api.auth("reviewer"))
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert "330203********1234" in detail and f"330203********{OTHER_ID[-4:]}" in detail
    assert ID_NUMBER not in detail and OTHER_ID not in detail
    assert h0 in detail and h9 in detail
    assert review_id in [i["review_id"] for i in _queue(api)["items"]]  # still open
    assert _decide(api, "keep_apart", review_id)["state"] == "kept_apart"


def test_a_repushed_mention_with_another_valid_id_does_not_follow_a_merge(api: Api) -> None:
    results = _push(api, three_huang_fang())
    h0 = _entity(results, 0)
    _decide(api, "merge")
    # H-2 now carries a valid ID number other than its entity's: it cannot stay merged.
    again = _push(api, [person("H-2", id_number=OTHER_ID)])
    assert again[0]["outcome"] == "new_version"
    assert _entity(again, 0) != h0
    entity = api.client.get(f"/v1/entities/{h0}", headers=api.auth("reviewer")).json()
    assert {r["source_id"] for r in entity["records"]} == {"H-0", "H-1"}
