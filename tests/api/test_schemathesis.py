"""Property-based requests against the OpenAPI (bounded: a few dozen per operation).

No answer may be a 5xx, and every answer must match the schema the OpenAPI declares for
its status. Requests carry an admin key (every endpoint is reachable) and the store holds
a few records, so the generated ids and bodies meet both data and no data.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from api.settings import Settings
from tests.api.conftest import make_keys
from tests.api.records_data import three_huang_fang

EXAMPLES_PER_OPERATION = 15


def _app_with_data() -> tuple[FastAPI, str]:
    """An app over a fresh data dir holding a few records, and an admin key for it.

    Built at import: schemathesis reads the OpenAPI from the app to generate the tests.
    (`schemathesis.pytest.from_fixture` would be lazier but breaks on this pytest.)
    """
    app_settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="wutong-schemathesis-")))
    keys = make_keys(app_settings)
    with TestClient(create_app(app_settings)) as client:
        client.post("/v1/records", json={"records": three_huang_fang()},
                    headers={"Authorization": f"Bearer {keys['pusher']}"})
    return create_app(app_settings), keys["admin"]


APP, ADMIN_KEY = _app_with_data()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_answers_match_their_schema(
        case: Any) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                           checks=[not_a_server_error, response_schema_conformance])
