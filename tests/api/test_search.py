"""Entity search: fuzzy through the resolver's normalisers and keys, ranked."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.api.records_data import person


def _hits(api: Api, **params: str) -> list[dict[str, Any]]:
    response = api.client.get("/v1/entities", params=params, headers=api.auth("analyst"))
    assert response.status_code == 200, response.text
    hits: list[dict[str, Any]] = response.json()["hits"]
    return hits


def test_search_by_name_id_number_phone_and_company(api: Api) -> None:
    enterprise = {"kind": "enterprise", "source": "amr", "source_id": "AMR-1",
                  "observed_at": "2026-11-01T09:00:00+08:00",
                  "name": "宁波海曙某某电器有限公司", "credit_code": "91330203MA2H0K1P1Y"}
    records = [person("H-0", source="hotline81890"),
               person("H-5", name="张伟", id_number="330203199001011235", phone="13900001111"),
               enterprise]
    amr = api.client.post("/v1/records", json={"records": [records[2]]},
                          headers=api.auth("admin"))
    assert amr.status_code == 200, amr.text
    pushed = api.client.post("/v1/records", json={"records": records[:2]},
                             headers=api.auth("pusher")).json()["results"]
    huang, zhang = (r["mentions"][0]["entity_id"] for r in pushed)

    assert _hits(api, name="黃芳")[0]["entity_id"] == huang  # traditional script
    by_id = _hits(api, id_number="330203199001011235")
    assert [h["entity_id"] for h in by_id] == [zhang] and by_id[0]["score"] == 1.0
    near = _hits(api, id_number="330203199001021235")  # one digit off in the middle
    assert near and near[0]["entity_id"] == zhang and near[0]["score"] < 1.0
    assert _hits(api, phone="139 0000 1111")[0]["entity_id"] == zhang
    company = _hits(api, company_name="某某电器有限公司", kind="enterprise")
    assert company and company[0]["kind"] == "enterprise"
    assert _hits(api, name="欧阳无此人") == []
    missing = api.client.get("/v1/entities", headers=api.auth("analyst"))
    assert missing.status_code == 422
