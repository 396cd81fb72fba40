"""Masking by role, and the audit log of unmasked reads and decisions."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

import pytest

from graph.errors import AuditLogError
from resolver.identifiers import id_check_digit, uscc_check_char
from tests.api.conftest import Api
from tests.api.records_data import ID_NUMBER, PHONE, three_huang_fang

MASKED_ID = "330203********1234"
MASKED_PHONE = "138****5678"
BIRTH_DATE = "1985-03-15"  # the eight digits MASKED_ID hides
INDIVIDUAL_BUSINESS = "92330203MA2000001" + uscc_check_char("92330203MA2000001")
COMPANY = "91330203MA2000002" + uscc_check_char("91330203MA2000002")
assert id_check_digit(ID_NUMBER[:17]) == ID_NUMBER[17]


def _entity_of_h0(api: Api) -> str:
    records = three_huang_fang()
    for record in records[:2]:  # H-2 (no ID number, no birth date) stays queued for review
        record["birth_date"] = BIRTH_DATE
    answer = api.client.post("/v1/records", json={"records": records},
                             headers=api.auth("pusher")).json()
    entity: str = answer["results"][0]["mentions"][0]["entity_id"]
    return entity


def _case_against_two_businesses(api: Api) -> dict[str, str]:
    """黄芳 claims wages from an individual business (个体户, code 92…) and a company:
    entity ids by party."""
    case = {"kind": "case", "source": "labour", "source_id": "甬劳仲〔2025〕1号",
            "observed_at": "2025-06-01T10:00:00+08:00", "channel": "labour_arbitration",
            "category": "wage_arrears", "state": "accepted", "filed_on": "2025-06-01",
            "amount_claimed": "5000",
            "parties": [
                {"role": "applicant", "kind": "person", "name": "黄芳", "id_number": ID_NUMBER,
                 "phone": PHONE},
                {"role": "respondent", "kind": "enterprise", "name": "海曙区黄记小吃店",
                 "credit_code": INDIVIDUAL_BUSINESS},
                {"role": "respondent", "kind": "enterprise", "name": "宁波康成建设有限公司",
                 "credit_code": COMPANY}]}
    answer = api.client.post("/v1/records", json={"records": [case]},
                             headers=api.auth("other_pusher"))
    assert answer.status_code == 200, answer.text
    mentions = answer.json()["results"][0]["mentions"]
    return dict(zip(("person", "individual", "company"), [m["entity_id"] for m in mentions],
                    strict=True))


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


def _birth_dates(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "birth_date"] + [
            d for v in value.values() for d in _birth_dates(v)]
    if isinstance(value, list):
        return [d for v in value for d in _birth_dates(v)]
    return []


def test_analysts_cannot_rebuild_an_id_number_or_an_individual_business_code(
        api: Api) -> None:
    entity = _entity_of_h0(api)
    parties = _case_against_two_businesses(api)
    assert parties["person"] == entity
    analyst = api.auth("analyst")
    clusters = api.client.get("/v1/clusters", headers=analyst).json()["clusters"]
    paths = [f"/v1/entities/{parties['individual']}", f"/v1/entities/{parties['company']}",
             *(f"/v1/entities/{e}/risk" for e in parties.values()),
             *(f"/v1/clusters/{c['cluster_id']}" for c in clusters)]
    texts = _reads(api, entity, "analyst")
    for path in paths:
        response = api.client.get(path, headers=analyst)
        assert response.status_code == 200, (path, response.text)
        texts.append(response.text)
    assert clusters and len(texts) >= 11
    birth_digits = BIRTH_DATE.replace("-", "")
    for text in texts:
        assert ID_NUMBER not in text and birth_digits not in text and BIRTH_DATE not in text
        assert INDIVIDUAL_BUSINESS not in text and INDIVIDUAL_BUSINESS[-8:] not in text
        # Every birth date shown is masked in full: not even the year is left to narrow
        # the masked ID number's hidden digits.
        assert set(_birth_dates(json.loads(text))) <= {
            None, "****-**-**"}
        for shown_id in re.findall(r"330203[0-9*]{8}1234", text):
            assert shown_id == MASKED_ID
    person = api.client.get(f"/v1/entities/{entity}", headers=analyst).json()
    assert "****-**-**" in _birth_dates(person)
    # A company's credit code is public; an individual business's is masked.
    company = api.client.get(f"/v1/entities/{parties['company']}/risk", headers=analyst)
    assert company.json()["identifier"] == COMPANY
    individual = api.client.get(f"/v1/entities/{parties['individual']}/risk", headers=analyst)
    assert individual.json()["identifier"] == INDIVIDUAL_BUSINESS[:6] + "*" * 8 + \
        INDIVIDUAL_BUSINESS[-4:]
    # Reviewers see everything in full.
    reviewer = api.client.get(f"/v1/entities/{entity}", headers=api.auth("reviewer")).text
    assert BIRTH_DATE in reviewer and INDIVIDUAL_BUSINESS in reviewer


def test_full_reads_log_which_entities_and_mentions_were_shown(embedded_api: Api) -> None:
    api = embedded_api
    entity = _entity_of_h0(api)
    reviewer = api.auth("reviewer")
    hits = api.client.get(f"/v1/entities?id_number={ID_NUMBER}", headers=reviewer).json()["hits"]
    queue = api.client.get("/v1/review", headers=reviewer).json()["items"]
    api.client.get(f"/v1/entities/{entity}", headers=reviewer)
    api.client.get(f"/v1/entities/{entity}/evidence", headers=reviewer)
    entries = {e["action"]: e for e in api.client.get(
        "/v1/audit", headers=api.auth("admin")).json()["entries"]}
    search = entries["search"]["detail"]
    assert search["entities"] == [h["entity_id"] for h in hits] and entity in search["entities"]
    assert len(search["mentions"]) == len(hits)
    assert all(m.startswith("hotline81890:H-") for m in search["mentions"])
    review = entries["read_review_queue"]["detail"]
    assert review["items"] == [i["review_id"] for i in queue]
    assert set(review["mentions"]) == {"hotline81890:H-0", "hotline81890:H-2"}
    assert entity in review["entities"]
    read = entries["read_entity"]["detail"]
    assert set(read["records"]) == {"hotline81890:H-0", "hotline81890:H-1"}
    assert set(read["mentions"]) == {"hotline81890:H-0", "hotline81890:H-1"}
    assert set(entries["read_evidence"]["detail"]["mentions"]) == set(read["mentions"])


def _failing_audit(api: Api, monkeypatch: pytest.MonkeyPatch, after: int = 0) -> None:
    """From the (after+1)-th write on, the audit log cannot be written."""
    audit = api.client.app.state.services.audit  # type: ignore[attr-defined]
    write = audit.write
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] > after:
            raise AuditLogError("disk full")
        write(*args, **kwargs)
    monkeypatch.setattr(audit, "write", failing)


def test_no_decision_is_taken_unaudited(embedded_api: Api,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    api = embedded_api
    _entity_of_h0(api)
    review_id = "hotline81890:H-0~hotline81890:H-2"
    admin = api.auth("admin")
    keys_before = api.client.get("/v1/keys", headers=admin).json()["keys"]
    with monkeypatch.context() as patch:
        _failing_audit(api, patch)
        decided = api.client.post(f"/v1/review/{review_id}/decision",
                                  json={"decision": "merge"}, headers=api.auth("reviewer"))
        assert decided.status_code == 503
        made = api.client.post("/v1/keys", json={"role": "analyst"}, headers=admin)
        assert made.status_code == 503
        keys = api.client.get("/v1/keys", headers=admin).json()["keys"]
        revoked = api.client.delete(f"/v1/keys/{keys[0]['key_id']}", headers=admin)
        assert revoked.status_code == 503
    # Nothing happened: the pair is still open, no key was made or revoked.
    queue = api.client.get("/v1/review", headers=api.auth("reviewer")).json()["items"]
    assert [i["review_id"] for i in queue] == [review_id]
    assert api.client.get("/v1/keys", headers=admin).json()["keys"] == keys_before
    assert api.client.get("/v1/audit", headers=admin).json()["entries"][0]["action"] \
        == "read_review_queue"


def test_a_decision_taken_is_audited_even_if_its_outcome_entry_fails(
        embedded_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api = embedded_api
    _entity_of_h0(api)
    admin = api.auth("admin")
    with monkeypatch.context() as patch:
        _failing_audit(api, patch, after=1)  # the intent entry is written, the outcome not
        made = api.client.post("/v1/keys", json={"role": "analyst", "label": "new"},
                               headers=admin)
    assert made.status_code == 201  # the key exists: its plaintext is not lost
    new = made.json()
    assert api.client.get("/v1/stats", headers={
        "Authorization": f"Bearer {new['key']}"}).status_code == 200
    with monkeypatch.context() as patch:
        _failing_audit(api, patch, after=1)
        decided = api.client.post("/v1/review/hotline81890:H-0~hotline81890:H-2/decision",
                                  json={"decision": "keep_apart", "note": "twins"},
                                  headers=api.auth("reviewer"))
    assert decided.status_code == 200
    entries = api.client.get("/v1/audit", headers=admin).json()["entries"]
    intents = [(e["action"], e["target"], e["detail"]) for e in reversed(entries)]
    assert intents == [
        ("create_key", new["key_id"], {"role": "analyst", "department": None, "label": "new",
                                       "phase": "intent"}),
        ("review_keep_apart", "hotline81890:H-0~hotline81890:H-2",
         {"note": "twins", "phase": "intent"})]


def test_decisions_write_intent_then_outcome(embedded_api: Api) -> None:
    api = embedded_api
    _entity_of_h0(api)
    admin = api.auth("admin")
    new = api.client.post("/v1/keys", json={"role": "analyst"}, headers=admin).json()
    assert api.client.post("/v1/review/hotline81890:H-0~hotline81890:H-2/decision",
                           json={"decision": "merge"},
                           headers=api.auth("reviewer")).status_code == 200
    again = api.client.post("/v1/review/hotline81890:H-0~hotline81890:H-2/decision",
                            json={"decision": "merge"}, headers=api.auth("reviewer"))
    assert again.status_code == 409
    entries = [e for e in reversed(api.client.get("/v1/audit", headers=admin).json()[
        "entries"]) if e["action"] != "read_review_queue"]
    assert [(e["action"], e["detail"]["phase"]) for e in entries] == [
        ("create_key", "intent"), ("create_key", "done"),
        ("review_merge", "intent"), ("review_merge", "done"),
        ("review_merge", "intent"), ("review_merge", "failed")]
    assert entries[0]["target"] == new["key_id"]
    assert entries[3]["detail"]["merged"] is not None
    assert "AlreadyDecided" in entries[5]["detail"]["error"]


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
    api = embedded_api
    made = api.client.post("/v1/keys", json={"role": "analyst"}, headers=api.auth("admin"))
    keys = [*api.keys.values(), made.json()["key"]]
    path = api.settings.api_dir / "keys.sqlite3"
    db = sqlite3.connect(path)
    try:
        # Every value of every row, read through SQL: rows still in the -wal file included.
        stored = [str(v) for table, in db.execute(
                      "SELECT name FROM sqlite_master WHERE type = 'table'")
                  for row in db.execute(f"SELECT * FROM {table}") for v in row]
    finally:
        db.close()
    assert len(stored) >= 7 * len(keys)
    wal = path.with_name(path.name + "-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    for key in keys:
        secret = key.split("_", 2)[2]  # the secret may itself hold "_"
        assert not any(key in v or secret in v for v in stored)
        assert key.encode() not in raw and secret.encode() not in raw
