"""The role matrix: every endpoint, every role (allowed, 401, 403)."""

from __future__ import annotations

from typing import Any

import pytest

from api.app import create_app
from api.settings import Settings
from tests.api.conftest import Api
from tests.api.records_data import person

ROLES = ("pusher", "analyst", "reviewer", "admin")
READERS = {"analyst", "reviewer", "admin"}
DECIDERS = {"reviewer", "admin"}
ALERT_ACTORS = {"analyst", "reviewer", "admin"}  # analysts are the risk staff alerts are for

# (method, route template, concrete path, body, roles allowed)
MATRIX: list[tuple[str, str, str, Any, set[str]]] = [
    ("POST", "/v1/records", "/v1/records", {"records": [person("H-9")]}, {"pusher", "admin"}),
    ("GET", "/v1/stats", "/v1/stats", None, set(ROLES)),
    ("GET", "/v1/entities", "/v1/entities?name=黄芳", None, READERS),
    ("GET", "/v1/entities/{entity_id}", "/v1/entities/P00000001", None, READERS),
    ("GET", "/v1/entities/{entity_id}/network", "/v1/entities/P00000001/network", None,
     READERS),
    ("GET", "/v1/entities/{entity_id}/evidence", "/v1/entities/P00000001/evidence", None,
     READERS),
    ("POST", "/v1/entities/{entity_id}/split", "/v1/entities/P00000001/split",
     {"mention_ids": ["hotline81890:nobody"]}, DECIDERS),
    ("GET", "/v1/entities/{entity_id}/risk", "/v1/entities/P00000001/risk", None, READERS),
    ("GET", "/v1/clusters", "/v1/clusters?sort=growth_7d", None, READERS),
    ("GET", "/v1/clusters/{cluster_id}", "/v1/clusters/C-P00000001", None, READERS),
    ("GET", "/v1/alerts", "/v1/alerts?state=new", None, READERS),
    ("GET", "/v1/alerts/{alert_id}", "/v1/alerts/A-R1-000000000000", None, READERS),
    ("POST", "/v1/alerts/{alert_id}/acknowledge", "/v1/alerts/A-R1-000000000000/acknowledge",
     None, ALERT_ACTORS),
    ("POST", "/v1/alerts/{alert_id}/close", "/v1/alerts/A-R1-000000000000/close",
     {"note": "handled"}, ALERT_ACTORS),
    ("GET", "/v1/departments/performance", "/v1/departments/performance", None, READERS),
    ("GET", "/v1/review", "/v1/review", None, READERS),
    ("POST", "/v1/review/{review_id}/decision", "/v1/review/a~b/decision",
     {"decision": "merge"}, DECIDERS),
    ("POST", "/v1/keys", "/v1/keys", {"role": "analyst"}, {"admin"}),
    ("GET", "/v1/keys", "/v1/keys", None, {"admin"}),
    ("DELETE", "/v1/keys/{key_id}", "/v1/keys/nosuchkey", None, {"admin"}),
    ("GET", "/v1/audit", "/v1/audit", None, {"admin"}),
]


def test_the_matrix_names_every_v1_endpoint(tmp_path: Any) -> None:
    paths = create_app(Settings(data_dir=tmp_path)).openapi()["paths"]
    routes = {(method.upper(), path) for path, operations in paths.items()
              if path.startswith("/v1") for method in operations}
    assert routes == {(method, template) for method, template, *_ in MATRIX}


@pytest.mark.parametrize(("method", "template", "path", "body", "allowed"), MATRIX,
                         ids=[f"{m} {t}" for m, t, *_ in MATRIX])
def test_each_role_is_allowed_or_refused(embedded_api: Api, method: str, template: str,
                                         path: str, body: Any, allowed: set[str]) -> None:
    client = embedded_api.client
    assert client.request(method, path, json=body).status_code == 401
    bad = {"Authorization": "Bearer wt_000000000000_not-a-key"}
    assert client.request(method, path, json=body, headers=bad).status_code == 401
    basic = {"Authorization": "Basic dXNlcjpwYXNz"}
    assert client.request(method, path, json=body, headers=basic).status_code == 401
    for role in ROLES:
        status = client.request(method, path, json=body,
                                headers=embedded_api.auth(role)).status_code
        if role in allowed:
            assert status not in (401, 403), (role, status)
        else:
            assert status == 403, (role, status)


def test_unauthenticated_operations_endpoints(embedded_api: Api) -> None:
    client = embedded_api.client
    assert client.get("/health").status_code == 200
    assert client.get("/ready").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_a_revoked_key_gets_401_at_once(embedded_api: Api) -> None:
    client, admin = embedded_api.client, embedded_api.auth("admin")
    made = client.post("/v1/keys", json={"role": "analyst", "label": "temp"}, headers=admin)
    assert made.status_code == 201
    key = made.json()["key"]
    analyst = {"Authorization": f"Bearer {key}"}
    assert client.get("/v1/stats", headers=analyst).status_code == 200
    assert client.delete(f"/v1/keys/{made.json()['key_id']}", headers=admin).status_code == 200
    assert client.get("/v1/stats", headers=analyst).status_code == 401
    listed = client.get("/v1/keys", headers=admin).json()["keys"]
    assert made.json()["key_id"] not in {k["key_id"] for k in listed}
    assert all("key" not in k for k in listed)
    assert client.post("/v1/keys", json={"role": "pusher"}, headers=admin).status_code == 422
