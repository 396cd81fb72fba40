"""Masking by role, and the audit log of unmasked reads and decisions."""

from __future__ import annotations

import sqlite3

import pytest

from tests.api.conftest import Api
from tests.api.records_data import ID_NUMBER, PHONE, three_huang_fang

MASKED_ID = "330203********1234"
MASKED_PHONE = "138****5678"


def _entity_of_h0(api: Api) -> str:
    answer = api.client.post("/v1/records", json={"records": three_huang_fang()},
                             headers=api.auth("pusher")).json()
    entity: str = answer["results"][0]["mentions"][0]["entity_id"]
    return entity


def _reads(api: Api, entity: str, who: str) -> list[str]:
    """Every read endpoint's answer as text."""
    auth = api.auth(who)
    paths = [f"/v1/entities/{entity}", f"/v1/entities/{entity}/evidence",
             f"/v1/entities?id_number={ID_NUMBER}", f"/v1/entities?phone={PHONE}", "/v1/review"]
    texts = []
    for path in paths:
        response = api.client.get(path, headers=auth)
        assert response.status_code == 200, (path, response.text)
        texts.append(response.text)
    return texts


def test_analysts_read_masked_and_leave_no_audit_entry(api: Api) -> None:
    entity = _entity_of_h0(api)
    for text in _reads(api, entity, "analyst"):
        assert ID_NUMBER not in text and PHONE not in text
        assert MASKED_PHONE in text
    assert MASKED_ID in api.client.get(f"/v1/entities/{entity}",
                                       headers=api.auth("analyst")).text
    audit = api.client.get("/v1/audit", headers=api.auth("admin")).json()["entries"]
    assert audit == []


@pytest.mark.parametrize("who", ["reviewer", "admin"])
def test_reviewers_and_admins_read_in_full_and_every_read_is_audited(api: Api,
                                                                     who: str) -> None:
    entity = _entity_of_h0(api)
    for text in _reads(api, entity, who):
        assert PHONE in text and MASKED_PHONE not in text
    assert ID_NUMBER in api.client.get(f"/v1/entities/{entity}", headers=api.auth(who)).text
    entries = api.client.get("/v1/audit", headers=api.auth("admin")).json()["entries"]
    actions = [e["action"] for e in reversed(entries)]
    assert actions[:5] == ["read_entity", "read_evidence", "search", "search",
                           "read_review_queue"]
    assert {e["role"] for e in entries} == {who}
    assert entries[-1]["target"] == entity


def test_pushers_read_nothing_personal(api: Api) -> None:
    entity = _entity_of_h0(api)
    for path in (f"/v1/entities/{entity}", f"/v1/entities/{entity}/evidence",
                 f"/v1/entities/{entity}/network", "/v1/entities?name=黄芳", "/v1/review"):
        assert api.client.get(path, headers=api.auth("pusher")).status_code == 403


def test_the_audit_log_cannot_be_rewritten(embedded_api: Api) -> None:
    api = embedded_api
    entity = _entity_of_h0(api)
    api.client.get(f"/v1/entities/{entity}", headers=api.auth("reviewer"))
    db = sqlite3.connect(api.settings.api_dir / "audit.sqlite3")
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE audit SET key_id = 'someone else'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM audit")
        assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == 1
    finally:
        db.close()


def test_keys_are_stored_only_hashed(embedded_api: Api) -> None:
    raw = (embedded_api.settings.api_dir / "keys.sqlite3").read_bytes()
    for key in embedded_api.keys.values():
        assert key.encode() not in raw
        assert key.split("_", 2)[2].encode() not in raw  # the secret may itself hold "_"
