"""The OpenAPI declares every status an endpoint can answer with (found by
benchmarks/fuzz_api.py with status-code conformance: a malformed body on
`POST /v1/alerts/{id}/close` answered 400, which its OpenAPI did not list)."""

from __future__ import annotations

from tests.api.conftest import Api


def test_every_operation_with_a_body_documents_400_for_malformed_json(embedded_api: Api
                                                                        ) -> None:
    paths = embedded_api.client.get("/openapi.json").json()["paths"]
    with_body = [(method.upper(), path) for path, operations in paths.items()
                 for method, operation in operations.items() if "requestBody" in operation]
    assert ("POST", "/v1/alerts/{alert_id}/close") in with_body
    undocumented = [(method, path) for method, path in with_body
                    if "400" not in paths[path][method.lower()]["responses"]]
    assert undocumented == []


def test_a_malformed_body_on_close_is_the_documented_400(embedded_api: Api) -> None:
    answer = embedded_api.client.post(
        "/v1/alerts/A-R1-000000000000/close", content=b"\xff\xfel",
        headers={**embedded_api.auth("analyst"), "Content-Type": "application/json"})
    assert answer.status_code == 400
    assert set(answer.json()) == {"detail"}
