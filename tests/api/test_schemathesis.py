"""Property-based requests against the OpenAPI (bounded: a dozen per operation and role).

No answer may be a 5xx, and every answer must match the schema the OpenAPI declares for
its status. Requests carry an admin key (every endpoint is reachable) or an analyst's (the
masked answers), and the store holds a few people and a collective wage dispute (a cluster
and an R1 alert, analytics as of 2026-11-01), so the generated ids and bodies meet both data
and no data. The larger run, several thousand requests on a demo store with real ids drawn
for the path parameters, is benchmarks/fuzz_api.py.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from api.settings import Settings
from tests.api.conftest import make_keys
from tests.api.records_data import three_huang_fang
from tests.api.test_analytics_api import AS_OF, wage_case

EXAMPLES_PER_OPERATION = 12


def _app_with_data() -> tuple[FastAPI, dict[str, str]]:
    """An app over a fresh data dir holding a few records, and a key of each role for it.

    Built at import: schemathesis reads the OpenAPI from the app to generate the tests.
    (`schemathesis.pytest.from_fixture` would be lazier but breaks on this pytest.)
    """
    app_settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="wutong-schemathesis-")),
                            analytics_as_of=AS_OF)
    keys = make_keys(app_settings)
    cases = [wage_case(n, AS_OF - timedelta(days=2 + 2 * n)) for n in range(11)]
    with TestClient(create_app(app_settings)) as client:
        for records, pusher in ((three_huang_fang(), "pusher"), (cases, "other_pusher")):
            answer = client.post("/v1/records", json={"records": records},
                                 headers={"Authorization": f"Bearer {keys[pusher]}"})
            assert answer.status_code == 200, answer.text
        alerts = client.get("/v1/alerts", headers={"Authorization": f"Bearer {keys['admin']}"})
        assert alerts.json()["alerts"], "the wage cases raise an alert"
    return create_app(app_settings), keys


APP, KEYS = _app_with_data()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# Invalid data too (wrong types, missing fields, out-of-range values), not only valid data.
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.mark.parametrize("role", ["admin", "analyst"])
@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_answers_match_their_schema(case: Any, role: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {KEYS[role]}"},
                           checks=[not_a_server_error, response_schema_conformance])
