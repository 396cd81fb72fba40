"""Load test of the HTTP API on loopback: mixed pushes and reads for a bounded time.

    PYTHONPATH=. .venv/bin/python benchmarks/load_api.py --store embedded --seconds 300
    PYTHONPATH=. .venv/bin/python benchmarks/load_api.py --store neo4j --seconds 300 --empty-neo4j
        # Neo4j settings from WUTONG_NEO4J_*; --empty-neo4j deletes everything in it first

Starts `wutong serve` on 127.0.0.1 (a free port) over a fresh data dir, analytics as of
--as-of (WUTONG_ANALYTICS_AS_OF, default 2026-11-01), makes keys, pushes a few hundred
people and cases to read, then runs --concurrency async clients (httpx) until --seconds
have passed. Pushes carry 10 records: 7 new people (some sharing names and phones with
earlier ones so they link or queue for review) and 3 wage-arrears cases filed in the 30
days before --as-of, each naming one of those people against one of 20 employers, so the
push hook keeps the dispute network, its clusters and alerts changing; one push in five
re-sends an earlier batch, which must answer `duplicate`. Reads: searches, entity reads,
evidence, networks, review-queue pages and (--analytics-share, default 20 %) the analytics:
alert lists, cluster lists, one cluster, entity risk, department performance. Only
127.0.0.1 is ever sent to. Prints one JSON object: requests, throughput, p50/p99 per
operation, errors (5xx, transport errors, any unexpected status) and the server's RSS at
start and end (with samples between, to show a trend).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from api.settings import Settings
from tests.api.conftest import make_keys
from tests.api.server import Server
from tests.graph.alert_scene import credit_code

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
# Shorter than uvicorn's 5 s keep-alive, so a client never reuses a connection the server
# is closing (a ReadError that is no fault of the API).
LIMITS = httpx.Limits(keepalive_expiry=2.0)
DEPARTMENTS = ["hotline81890", "complaint96178", "petition", "labour", "mediation"]
# Without analytics (the mix of the first runs); scaled down to make room for ANALYTICS.
BASE_MIX = [("push", 40), ("search", 20), ("entity", 15), ("evidence", 10), ("review", 10),
            ("network", 5)]
ANALYTICS_MIX = [("alerts", 30), ("clusters", 25), ("cluster", 15), ("risk", 20),
                 ("performance", 10)]
EMPLOYERS = [f"宁波{a}{b}建设有限公司" for a in "康成宏昌启" for b in "天博和鑫"]


def mix(analytics_share: float) -> list[tuple[str, float]]:
    """BASE_MIX and ANALYTICS_MIX weighted so analytics reads are that share of requests."""
    base, extra = sum(w for _, w in BASE_MIX), sum(w for _, w in ANALYTICS_MIX)
    return ([(op, w / base * (1 - analytics_share)) for op, w in BASE_MIX]
            + [(op, w / extra * analytics_share) for op, w in ANALYTICS_MIX])


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    entities: list[str] = field(default_factory=list)
    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    duplicates_wrong: int = 0
    clusters_gone: int = 0  # a cluster id read after a push recut it away (404, expected)


def person(rng: random.Random, n: int) -> dict[str, Any]:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if n % 3 else "")
    return {"kind": "person", "source": rng.choice(DEPARTMENTS), "source_id": f"LOAD-{n}",
            "observed_at": "2026-11-01T09:00:00+08:00", "name": name,
            "phone": f"13{rng.randint(0, 9)}{rng.randint(0, 999):04d}{rng.randint(0, 99):04d}",
            "address": f"宁波市海曙区中山西路{rng.randint(1, 60)}号"}


def wage_case(rng: random.Random, n: int, worker: dict[str, Any], as_of: date
              ) -> dict[str, Any]:
    """The worker claims unpaid wages from one of EMPLOYERS, filed in the last 30 days."""
    employer = rng.randrange(len(EMPLOYERS))
    filed = as_of - timedelta(days=rng.randint(0, 30))
    return {"kind": "case", "source": "labour", "source_id": f"LOAD-CASE-{n}",
            "observed_at": f"{filed.isoformat()}T10:00:00+08:00",
            "channel": "labour_arbitration", "category": "wage_arrears", "state": "accepted",
            "filed_on": filed.isoformat(), "amount_claimed": str(rng.randint(20, 300) * 100),
            "parties": [
                {"role": "applicant", "kind": "person", "name": worker["name"],
                 "phone": worker["phone"]},
                {"role": "respondent", "kind": "enterprise", "name": EMPLOYERS[employer],
                 "credit_code": credit_code(employer + 1)}]}


def new_batch(rng: random.Random, counter: list[int], as_of: date) -> list[dict[str, Any]]:
    """7 new people and 3 wage cases naming three of them."""
    people = [person(rng, counter[0] + i) for i in range(7)]
    cases = [wage_case(rng, counter[0] + 7 + i, worker, as_of)
             for i, worker in enumerate(rng.sample(people, 3))]
    counter[0] += 10
    return people + cases


async def operation(client: httpx.AsyncClient, keys: dict[str, str], op: str,
                    rng: random.Random, tally: Tally, counter: list[int], as_of: date
                    ) -> None:
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    analyst = {"Authorization": f"Bearer {keys['analyst']}"}
    if op == "push":
        if tally.batches and rng.random() < 0.2:
            batch, expect_duplicate = rng.choice(tally.batches), True
        else:
            batch, expect_duplicate = new_batch(rng, counter, as_of), False
        response = await client.post("/v1/records", json={"records": batch}, headers=admin)
        if response.status_code == 200:
            results = response.json()["results"]
            if expect_duplicate and any(r["outcome"] != "duplicate" for r in results):
                tally.duplicates_wrong += 1
            if not expect_duplicate:
                tally.batches.append(batch)
                tally.entities.extend(m["entity_id"] for r in results for m in r["mentions"])
        return _check(response, op, tally)
    if op in dict(ANALYTICS_MIX):
        return await analytics(client, analyst, op, rng, tally)
    if op == "search":
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        response = await client.get("/v1/entities", params={"name": name}, headers=analyst)
    elif op == "review":
        response = await client.get("/v1/review", params={"limit": 20}, headers=analyst)
    else:
        entity = rng.choice(tally.entities)
        path = {"entity": f"/v1/entities/{entity}", "evidence": f"/v1/entities/{entity}/evidence",
                "network": f"/v1/entities/{entity}/network"}[op]
        response = await client.get(path, headers=analyst)
    _check(response, op, tally)


async def analytics(client: httpx.AsyncClient, analyst: dict[str, str], op: str,
                    rng: random.Random, tally: Tally) -> None:
    if op == "alerts":
        params: dict[str, Any] = {"limit": 20}
        if rng.random() < 0.5:
            params["state"] = "new"
        response = await client.get("/v1/alerts", params=params, headers=analyst)
    elif op == "clusters" or (op == "cluster" and not tally.clusters):
        sort = rng.choice(["risk", "size", "growth_7d", "last_activity"])
        response = await client.get("/v1/clusters", params={"limit": 20, "sort": sort},
                                    headers=analyst)
        if response.status_code == 200:
            tally.clusters[:] = [c["cluster_id"] for c in response.json()["clusters"]]
    elif op == "cluster":
        response = await client.get(f"/v1/clusters/{rng.choice(tally.clusters)}",
                                    headers=analyst)
        if response.status_code == 404:
            tally.clusters_gone += 1
            return
    elif op == "risk":
        response = await client.get(f"/v1/entities/{rng.choice(tally.entities)}/risk",
                                    headers=analyst)
    else:
        response = await client.get("/v1/departments/performance", headers=analyst)
    _check(response, op, tally)


def _check(response: httpx.Response, op: str, tally: Tally) -> None:
    if response.status_code != 200:
        tally.errors[f"{op} {response.status_code}"] = (
            tally.errors.get(f"{op} {response.status_code}", 0) + 1)


async def worker(url: str, keys: dict[str, str], seed: int, deadline: float, tally: Tally,
                 counter: list[int], as_of: date, weighted: list[tuple[str, float]]) -> None:
    rng = random.Random(seed)
    ops, weights = zip(*weighted, strict=True)
    async with httpx.AsyncClient(base_url=url, timeout=60.0, limits=LIMITS) as client:
        while time.monotonic() < deadline:
            op = rng.choices(ops, weights)[0]
            started = time.perf_counter()
            try:
                await operation(client, keys, op, rng, tally, counter, as_of)
            except httpx.HTTPError as exc:
                tally.errors[f"{op} {type(exc).__name__}"] = (
                    tally.errors.get(f"{op} {type(exc).__name__}", 0) + 1)
            tally.latencies.setdefault(op, []).append(time.perf_counter() - started)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(url: str, keys: dict[str, str], pid: int, seconds: float, concurrency: int,
              seed: int, as_of: date, analytics_share: float) -> dict[str, Any]:
    tally, counter = Tally(), [0]
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=url, timeout=60.0, limits=LIMITS) as client:
        for _ in range(30):  # a few hundred people to read
            await operation(client, keys, "push", rng, tally, counter, as_of)
    samples = [(0.0, rss_mb(pid))]
    started = time.monotonic()
    deadline = started + seconds
    weighted = mix(analytics_share)
    tasks = [asyncio.create_task(worker(url, keys, seed + k + 1, deadline, tally, counter,
                                        as_of, weighted))
             for k in range(concurrency)]
    while not all(t.done() for t in tasks):
        await asyncio.sleep(min(30.0, max(0.1, deadline - time.monotonic())))
        now = round(time.monotonic() - started, 1)
        if now - samples[-1][0] >= 29.5:  # every 30 s; once more when the clients are done
            samples.append((now, rss_mb(pid)))
    samples.append((round(time.monotonic() - started, 1), rss_mb(pid)))
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - started
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    async with httpx.AsyncClient(base_url=url, timeout=120.0) as client:
        held = {"alerts": len((await client.get("/v1/alerts", params={"limit": 200},
                                                headers=admin)).json()["alerts"]),
                "clusters": (await client.get("/v1/clusters", params={"limit": 1},
                                              headers=admin)).json()["page"]["total"],
                "stats": (await client.get("/v1/stats", headers=admin)).json()}
    requests = sum(len(v) for v in tally.latencies.values())
    return {
        "seconds": round(elapsed, 1), "concurrency": concurrency, "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "records_pushed": counter[0],
        "latency_ms": {op: {"n": len(v), "p50": round(statistics.median(v) * 1000, 1),
                            "p99": round(_p99(v) * 1000, 1)}
                       for op, v in sorted(tally.latencies.items())},
        "errors": tally.errors, "error_count": sum(tally.errors.values()),
        "repushes_not_duplicate": tally.duplicates_wrong,
        "cluster_reads_of_recut_ids": tally.clusters_gone,
        "analytics_share": analytics_share, "as_of": as_of.isoformat(), "held_at_end": held,
        "server_rss_mb": {"start": round(samples[0][1], 1), "end": round(samples[-1][1], 1),
                          "samples": [(t, round(m, 1)) for t, m in samples]},
    }


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 1),
                        help="WUTONG_ANALYTICS_AS_OF for the server; cases are filed before")
    parser.add_argument("--analytics-share", type=float, default=0.2,
                        help="share of requests that read analytics (0..0.8)")
    parser.add_argument("--empty-neo4j", action="store_true",
                        help="delete everything in the configured Neo4j first")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 900:
        sys.exit("--seconds must be between 1 and 900")
    if not 0 <= args.analytics_share <= 0.8:
        sys.exit("--analytics-share must be between 0 and 0.8")
    data = Path(tempfile.mkdtemp(prefix="wutong-load-"))
    settings = Settings(data_dir=data, store=args.store, analytics_as_of=args.as_of)
    if args.store == "neo4j":
        base = Settings()
        settings = Settings(data_dir=data, store="neo4j", neo4j_uri=base.neo4j_uri,
                            neo4j_password=base.neo4j_password_value(),
                            analytics_as_of=args.as_of)
        from graph.neo4j_store import Neo4jStore, delete_everything
        if not args.empty_neo4j:
            sys.exit("the load test needs an empty Neo4j: pass --empty-neo4j to empty it")
        with Neo4jStore.connect(settings.neo4j_uri, settings.neo4j_user,
                                settings.neo4j_password_value()) as store:
            delete_everything(store)
    keys = make_keys(settings)
    os.environ["WUTONG_ANALYTICS_AS_OF"] = args.as_of.isoformat()  # read by `wutong serve`
    server = Server(settings, data / "server.log")
    try:
        result = asyncio.run(run(server.url, keys, server.process.pid, args.seconds,
                                 args.concurrency, args.seed, args.as_of,
                                 args.analytics_share))
    finally:
        server.stop()
    result.update({"store": args.store, "date": datetime.now().isoformat(timespec="seconds")})
    print(json.dumps(result, ensure_ascii=False, indent=1))  # noqa: T201


if __name__ == "__main__":
    main()
