"""Property-based bad-input run of the HTTP API: schemathesis against a real server with data.

    # a demo store to copy (embedded), analytics as of its day
    WUTONG_DATA_DIR=/tmp/fuzz-demo WUTONG_ANALYTICS_AS_OF=2026-11-01 \\
        .venv/bin/wutong demo --no-serve --people 300
    PYTHONPATH=. .venv/bin/python benchmarks/fuzz_api.py --store embedded \\
        --data-dir /tmp/fuzz-demo --max-examples 100 --roles admin,analyst
    # Neo4j: the configured server (WUTONG_NEO4J_*) must already hold the demo (load it with
    # WUTONG_STORE=neo4j wutong demo --no-serve); the run writes to it (pushes, alert
    # actions, decisions), so use a disposable server
    PYTHONPATH=. .venv/bin/python benchmarks/fuzz_api.py --store neo4j --data-dir DIR ...

Copies --data-dir (keys, audit log and, for the embedded store, the store itself) to a
temporary dir, makes one key of every role, starts `wutong serve` on 127.0.0.1 (a free port)
with WUTONG_ANALYTICS_AS_OF (default 2026-11-01, the demo's day), reads /openapi.json and,
for every operation and every role in --roles, runs a Hypothesis test of at most
--max-examples generated requests (plus those Hypothesis spends shrinking a failure), valid
and invalid by the schema (--modes: schemathesis' positive and negative generation). Path
ids are drawn half the time from ids the store really holds (entities, clusters, alerts,
open reviews), so reads, risk, acknowledgements, closings, decisions and splits meet data;
key ids are never drawn from real keys (the run would revoke its own keys).

Checks on every answer: no 5xx, and the body matches the schema the OpenAPI declares for
its status. Only 127.0.0.1 is sent to; the run stops starting operations after
--max-seconds. Prints one JSON object: requests, operations covered, failures (operation,
role, check, the minimal request), time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.settings import Settings
from tests.api.conftest import make_keys
from tests.api.server import Server

CHECKS = {"not_a_server_error": not_a_server_error,
          "response_schema_conformance": response_schema_conformance,
          "status_code_conformance": status_code_conformance,
          "content_type_conformance": content_type_conformance}
ID_PARAMETERS = {"entity_id": "entities", "cluster_id": "clusters", "alert_id": "alerts",
                 "review_id": "reviews"}


def real_ids(url: str, admin: str) -> dict[str, list[str]]:
    """Ids the store holds, for the path parameters (bounded: one page of each list)."""
    headers = {"Authorization": f"Bearer {admin}"}
    with httpx.Client(base_url=url, headers=headers, timeout=120.0) as client:
        clusters = client.get("/v1/clusters", params={"limit": 200}).json()["clusters"]
        alerts = client.get("/v1/alerts", params={"limit": 200}).json()["alerts"]
        reviews = client.get("/v1/review", params={"limit": 200}).json()
        entities = {e for a in alerts for e in a["entities"]}
        entities |= {c["cluster_id"].removeprefix("C-") for c in clusters}
        for name in ("王", "李", "张", "陈", "宁波"):
            found = client.get("/v1/entities", params={"name": name, "limit": 50}).json()
            entities |= {hit["entity_id"] for hit in found.get("results", found.get("hits", []))}
    review_items = reviews.get("items", reviews.get("reviews", []))
    return {"entities": sorted(entities), "clusters": [c["cluster_id"] for c in clusters],
            "alerts": [a["alert_id"] for a in alerts],
            "reviews": [str(r["review_id"]) for r in review_items if "review_id" in r]}


def run_operation(operation: Any, role: str, key: str, url: str, ids: dict[str, list[str]],
                  max_examples: int, modes: list[GenerationMode], checks: list[Any],
                  tally: Counter[str]) -> dict[str, Any] | None:
    """At most max_examples generated requests (plus shrinking); the failure, if any."""
    parameters = [p for p in ID_PARAMETERS if "{" + p + "}" in operation.path
                  and ids.get(ID_PARAMETERS[p])]
    real = st.fixed_dictionaries({p: st.none() | st.sampled_from(ids[ID_PARAMETERS[p]])
                                  for p in parameters})
    headers = {"Authorization": f"Bearer {key}"}
    last: list[Any] = []

    strategies = []
    for mode in modes:
        try:
            strategies.append(operation.as_strategy(generation_mode=mode))
        except Exception:  # some operations have no invalid case to generate
            continue
    cases = st.one_of(*strategies)

    @given(case=cases, chosen=real)
    @settings(max_examples=max_examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    def test(case: Any, chosen: dict[str, str | None]) -> None:
        for name, value in chosen.items():
            if value is not None:
                case.path_parameters[name] = value
        last[:] = [case]
        tally["requests"] += 1
        tally[f"mode {case.meta.generation.mode.value if case.meta else '?'}"] += 1
        response = case.call_and_validate(base_url=url, headers=headers, checks=checks,
                                          timeout=60)
        tally[f"status {response.status_code}"] += 1

    try:
        test()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # schemathesis' FailureGroup is a BaseExceptionGroup
        case = last[0] if last else None
        return {"operation": operation.label, "role": role, "error": type(exc).__name__,
                "message": str(exc)[:1500],
                "reproduce": case.as_curl_command(headers=headers) if case else None}
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--data-dir", type=Path, required=True,
                        help="a data dir to copy for the run (e.g. a `wutong demo` one)")
    parser.add_argument("--max-examples", type=int, default=100,
                        help="generated requests per operation and role (1..1000)")
    parser.add_argument("--roles", default="admin,analyst",
                        help="comma-separated roles whose keys the requests carry")
    parser.add_argument("--modes", default="positive,negative",
                        help="schemathesis generation modes: valid data, invalid data or both")
    parser.add_argument("--checks", default="not_a_server_error,response_schema_conformance",
                        help=f"comma-separated, of {', '.join(CHECKS)}")
    parser.add_argument("--as-of", default="2026-11-01", help="WUTONG_ANALYTICS_AS_OF")
    parser.add_argument("--max-seconds", type=float, default=3600.0,
                        help="start no operation after this many seconds (1..7200)")
    parser.add_argument("--include", default="", help="only operations whose label has this")
    args = parser.parse_args()
    if not 1 <= args.max_examples <= 1000 or not 1 <= args.max_seconds <= 7200:
        sys.exit("--max-examples must be 1..1000 and --max-seconds 1..7200")
    roles = [r for r in args.roles.split(",") if r]
    modes = [GenerationMode(m) for m in args.modes.split(",") if m]
    checks = [CHECKS[c] for c in args.checks.split(",") if c]
    work = Path(tempfile.mkdtemp(prefix="wutong-fuzz-"))
    data = work / "data"
    shutil.copytree(args.data_dir, data, ignore=shutil.ignore_patterns("demo-data", "neo4j"))
    os.environ["WUTONG_ANALYTICS_AS_OF"] = args.as_of
    if args.store == "neo4j":
        base = Settings()
        run_settings = Settings(data_dir=data, store="neo4j", neo4j_uri=base.neo4j_uri,
                                neo4j_user=base.neo4j_user,
                                neo4j_password=base.neo4j_password_value(),
                                neo4j_database=base.neo4j_database)
    else:
        run_settings = Settings(data_dir=data, store="embedded")
    keys = make_keys(run_settings)
    started = time.monotonic()
    server = Server(run_settings, work / "server.log")
    start_up = time.monotonic() - started
    tally: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    covered: set[str] = set()
    try:
        ids = real_ids(server.url, keys["admin"])
        schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
        operations = [r.ok() for r in schema.get_all_operations()]
        operations = [o for o in operations if args.include in o.label]
        fuzz_started = time.monotonic()
        for operation in operations:
            for role in roles:
                if time.monotonic() - fuzz_started > args.max_seconds:
                    break
                before = tally["requests"]
                failure = run_operation(operation, role, keys[role], server.url, ids,
                                        args.max_examples, modes, checks, tally)
                covered.add(operation.label)
                if failure:
                    failures.append(failure)
                print(f"{operation.label} [{role}]: {tally['requests'] - before} requests"  # noqa: T201
                      f"{', FAILED' if failure else ''}", file=sys.stderr, flush=True)
        fuzz_seconds = time.monotonic() - fuzz_started
    finally:
        server.stop()
    statuses = {k.removeprefix("status "): v for k, v in sorted(tally.items())
                if k.startswith("status ")}
    print(json.dumps({  # noqa: T201
        "store": args.store, "date": datetime.now().isoformat(timespec="seconds"),
        "as_of": args.as_of, "roles": roles, "max_examples": args.max_examples,
        "modes": args.modes, "checks": args.checks,
        "requests": tally["requests"], "statuses": statuses,
        "by_mode": {k.removeprefix("mode "): v for k, v in tally.items()
                    if k.startswith("mode ")},
        "operations": len(operations), "operations_covered": len(covered),
        "real_ids": {k: len(v) for k, v in ids.items()},
        "failures": failures, "failure_count": len(failures),
        "server_start_s": round(start_up, 1), "fuzz_s": round(fuzz_seconds, 1),
        "server_log": str(work / "server.log"),
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
