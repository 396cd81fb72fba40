"""Load test of the HTTP API on loopback: phases of mixed pushes and reads, reads only, and
re-sent pushes, with the server's memory sampled throughout.

    PYTHONPATH=. .venv/bin/python benchmarks/load_api.py --store embedded --port 38001
    PYTHONPATH=. .venv/bin/python benchmarks/load_api.py --store neo4j --port 38002 --empty-neo4j
        # Neo4j settings from WUTONG_NEO4J_*; --empty-neo4j deletes everything in it first

Starts `wutong serve` on 127.0.0.1 (--port, else a free one) over a fresh data dir,
analytics as of --as-of (WUTONG_ANALYTICS_AS_OF, default 2026-11-01), makes keys, pushes a
few hundred people and cases to read, then runs --phases in order (default
mixed:180,reads:60,repush:60), each with --concurrency async clients (httpx):

- mixed: pushes of 10 records: 7 new people (some sharing names and phones with earlier
  ones so they link or queue for review) and 3 wage-arrears cases filed in the 30 days
  before --as-of, each naming one of those people against one of 20 employers, so the push
  hook keeps the dispute network, its clusters and alerts changing; one push in five
  re-sends an earlier batch, which must answer `duplicate`. Reads: searches, entity reads,
  evidence, networks, review-queue pages and (--analytics-share, default 20 %) the
  analytics: alert lists, cluster lists, one cluster, entity risk, department performance;
- reads: the same reads, no pushes;
- repush: the mixed mix, but every push re-sends an acknowledged batch: each must answer
  `duplicate`, and the phase must add nothing (record versions, graph nodes, alerts and
  their update times, clusters are compared before and after it).

The server's RSS is sampled every --sample-seconds; each phase reports its least-squares
slope in KiB per minute and, where the phase added records, in KiB per new record. Only
127.0.0.1 is ever sent to. Prints one JSON object: per phase, requests, throughput, p50/p99
per operation, errors (5xx, transport errors, any unexpected status), RSS at start and end
with the slopes, and what the server held before and after; then every RSS sample.
--server-source runs the server from another source tree (an earlier commit), so before
and after a change can be measured side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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
DEFAULT_PHASES = "mixed:180,reads:60,repush:60"


def mix(analytics_share: float) -> list[tuple[str, float]]:
    """BASE_MIX and ANALYTICS_MIX weighted so analytics reads are that share of requests."""
    base, extra = sum(w for _, w in BASE_MIX), sum(w for _, w in ANALYTICS_MIX)
    return ([(op, w / base * (1 - analytics_share)) for op, w in BASE_MIX]
            + [(op, w / extra * analytics_share) for op, w in ANALYTICS_MIX])


@dataclass
class Held:
    """What the run has pushed and read so far (shared by the phases)."""

    entities: list[str] = field(default_factory=list)
    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    records_acknowledged: int = 0  # new records answered 200 (re-sends not counted)


@dataclass
class Tally:
    """One phase's requests."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    duplicates_wrong: int = 0
    clusters_gone: int = 0  # a cluster id read after a push recut it away (404, expected)


@dataclass(frozen=True)
class Phase:
    name: str
    seconds: float
    pushes: bool  # whether the mix has pushes at all
    resend_only: bool  # every push re-sends an acknowledged batch

    def weights(self, analytics_share: float) -> list[tuple[str, float]]:
        return [(op, w) for op, w in mix(analytics_share) if self.pushes or op != "push"]


PHASE_KINDS = {"mixed": (True, False), "reads": (False, False), "repush": (True, True)}


def parse_phases(text: str) -> list[Phase]:
    """"mixed:180,reads:60,repush:60" → phases run in that order."""
    out = []
    for part in text.split(","):
        name, _, seconds = part.partition(":")
        if name not in PHASE_KINDS or not seconds:
            raise ValueError(f"a phase is NAME:SECONDS with NAME one of {sorted(PHASE_KINDS)},"
                             f" got {part!r}")
        out.append(Phase(name, float(seconds), *PHASE_KINDS[name]))
    return out


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
                    rng: random.Random, held: Held, tally: Tally, counter: list[int],
                    as_of: date, resend_only: bool = False) -> None:
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    analyst = {"Authorization": f"Bearer {keys['analyst']}"}
    if op == "push":
        if held.batches and (resend_only or rng.random() < 0.2):
            batch, expect_duplicate = rng.choice(held.batches), True
        else:
            batch, expect_duplicate = new_batch(rng, counter, as_of), False
        response = await client.post("/v1/records", json={"records": batch}, headers=admin)
        if response.status_code == 200:
            results = response.json()["results"]
            if expect_duplicate and any(r["outcome"] != "duplicate" for r in results):
                tally.duplicates_wrong += 1
            if not expect_duplicate:
                held.batches.append(batch)
                held.records_acknowledged += len(batch)
                held.entities.extend(m["entity_id"] for r in results for m in r["mentions"])
        return _check(response, op, tally)
    if op in dict(ANALYTICS_MIX):
        return await analytics(client, analyst, op, rng, held, tally)
    if op == "search":
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        response = await client.get("/v1/entities", params={"name": name}, headers=analyst)
    elif op == "review":
        response = await client.get("/v1/review", params={"limit": 20}, headers=analyst)
    else:
        entity = rng.choice(held.entities)
        path = {"entity": f"/v1/entities/{entity}", "evidence": f"/v1/entities/{entity}/evidence",
                "network": f"/v1/entities/{entity}/network"}[op]
        response = await client.get(path, headers=analyst)
    _check(response, op, tally)


async def analytics(client: httpx.AsyncClient, analyst: dict[str, str], op: str,
                    rng: random.Random, held: Held, tally: Tally) -> None:
    if op == "alerts":
        params: dict[str, Any] = {"limit": 20}
        if rng.random() < 0.5:
            params["state"] = "new"
        response = await client.get("/v1/alerts", params=params, headers=analyst)
    elif op == "clusters" or (op == "cluster" and not held.clusters):
        sort = rng.choice(["risk", "size", "growth_7d", "last_activity"])
        response = await client.get("/v1/clusters", params={"limit": 20, "sort": sort},
                                    headers=analyst)
        if response.status_code == 200:
            held.clusters[:] = [c["cluster_id"] for c in response.json()["clusters"]]
    elif op == "cluster":
        response = await client.get(f"/v1/clusters/{rng.choice(held.clusters)}",
                                    headers=analyst)
        if response.status_code == 404:
            tally.clusters_gone += 1
            return
    elif op == "risk":
        response = await client.get(f"/v1/entities/{rng.choice(held.entities)}/risk",
                                    headers=analyst)
    else:
        response = await client.get("/v1/departments/performance", headers=analyst)
    _check(response, op, tally)


def _check(response: httpx.Response, op: str, tally: Tally) -> None:
    if response.status_code != 200:
        tally.errors[f"{op} {response.status_code}"] = (
            tally.errors.get(f"{op} {response.status_code}", 0) + 1)


async def worker(url: str, keys: dict[str, str], seed: int, deadline: float, held: Held,
                 tally: Tally, counter: list[int], as_of: date, phase: Phase,
                 analytics_share: float) -> None:
    rng = random.Random(seed)
    ops, weights = zip(*phase.weights(analytics_share), strict=True)
    async with httpx.AsyncClient(base_url=url, timeout=60.0, limits=LIMITS) as client:
        while time.monotonic() < deadline:
            op = rng.choices(ops, weights)[0]
            started = time.perf_counter()
            try:
                await operation(client, keys, op, rng, held, tally, counter, as_of,
                                phase.resend_only)
            except httpx.HTTPError as exc:
                tally.errors[f"{op} {type(exc).__name__}"] = (
                    tally.errors.get(f"{op} {type(exc).__name__}", 0) + 1)
            tally.latencies.setdefault(op, []).append(time.perf_counter() - started)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclass(frozen=True)
class Sample:
    seconds: float  # since the first phase started
    phase: str
    records: int  # new records acknowledged so far
    rss_kib: int


async def sample_rss(pid: int, every: float, started: float, held: Held,
                     current: list[str], samples: list[Sample]) -> None:
    while True:
        samples.append(Sample(round(time.monotonic() - started, 1), current[0],
                              held.records_acknowledged, rss_kib(pid)))
        await asyncio.sleep(every)


def slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of ys over xs (None when xs do not vary)."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    if spread == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread


async def holdings(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, Any]:
    """What the server holds: alerts (with a digest of their ids, states and update times,
    so a phase that must change nothing can be checked), clusters with cases, record
    versions and graph nodes."""
    alerts: list[dict[str, Any]] = []
    while True:
        page = (await client.get("/v1/alerts", params={"limit": 100, "offset": len(alerts)},
                                 headers=admin)).json()["alerts"]
        alerts += page
        if len(page) < 100:
            break
    digest = hashlib.sha256(json.dumps(sorted(
        (a["alert_id"], a["state"], a["level"], a["updated_at"]) for a in alerts)).encode())
    clusters = (await client.get("/v1/clusters", params={"limit": 1}, headers=admin)).json()
    stats = (await client.get("/v1/stats", headers=admin)).json()
    return {"alerts": len(alerts), "alerts_digest": digest.hexdigest()[:12],
            "clusters": clusters["page"]["total"], "record_versions": stats["record_versions"],
            "nodes": stats["nodes_by_label"]}


def _fit(samples: list[Sample], x: Callable[[Sample], float]) -> float | None:
    """The RSS slope (KiB per unit of x) over these samples."""
    if len(samples) < 2:
        return None
    return slope([x(s) for s in samples], [float(s.rss_kib) for s in samples])


def phase_result(phase: Phase, tally: Tally, elapsed: float, samples: list[Sample],
                 before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    mine = [s for s in samples if s.phase == phase.name]
    rss = [float(s.rss_kib) for s in mine]
    per_min = _fit(mine, lambda s: s.seconds / 60)
    # The second half as well: a phase's first seconds carry the step from the one before
    # (more reads in flight at once when the pushes stop, say).
    per_min_later = _fit(mine[len(mine) // 2:], lambda s: s.seconds / 60)
    per_record = _fit(mine, lambda s: float(s.records))
    requests = sum(len(v) for v in tally.latencies.values())
    return {
        "phase": phase.name, "seconds": round(elapsed, 1), "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "new_records": mine[-1].records - mine[0].records if mine else 0,
        "latency_ms": {op: {"n": len(v), "p50": round(statistics.median(v) * 1000, 1),
                            "p99": round(_p99(v) * 1000, 1)}
                       for op, v in sorted(tally.latencies.items())},
        "errors": tally.errors, "error_count": sum(tally.errors.values()),
        "repushes_not_duplicate": tally.duplicates_wrong,
        "cluster_reads_of_recut_ids": tally.clusters_gone,
        "rss_mib": {"start": round(rss[0] / 1024, 1), "end": round(rss[-1] / 1024, 1)}
        if rss else {},
        "rss_slope_kib_per_min": None if per_min is None else round(per_min, 1),
        "rss_slope_second_half_kib_per_min": None if per_min_later is None
        else round(per_min_later, 1),
        "rss_kib_per_new_record": None if per_record is None else round(per_record, 2),
        "held_before": before, "held_after": after,
    }


async def run(url: str, keys: dict[str, str], pid: int, phases: list[Phase],
              concurrency: int, seed: int, as_of: date, analytics_share: float,
              sample_every: float) -> dict[str, Any]:
    held, counter = Held(), [0]
    rng = random.Random(seed)
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    async with httpx.AsyncClient(base_url=url, timeout=60.0, limits=LIMITS) as client:
        for _ in range(30):  # a few hundred people to read
            await operation(client, keys, "push", rng, held, Tally(), counter, as_of)
    samples: list[Sample] = []
    current = [phases[0].name]
    started = time.monotonic()
    sampler = asyncio.create_task(sample_rss(pid, sample_every, started, held, current,
                                             samples))
    results = []
    async with httpx.AsyncClient(base_url=url, timeout=120.0) as control:
        for n, phase in enumerate(phases):
            current[0] = phase.name
            before = await holdings(control, admin)
            samples.append(Sample(round(time.monotonic() - started, 1), phase.name,
                                  held.records_acknowledged, rss_kib(pid)))
            tally = Tally()
            phase_started = time.monotonic()
            deadline = phase_started + phase.seconds
            await asyncio.gather(*(
                worker(url, keys, seed + 100 * n + k + 1, deadline, held, tally, counter,
                       as_of, phase, analytics_share) for k in range(concurrency)))
            elapsed = time.monotonic() - phase_started
            # The phase's last sample, after its last request.
            samples.append(Sample(round(time.monotonic() - started, 1), phase.name,
                                  held.records_acknowledged, rss_kib(pid)))
            results.append(phase_result(phase, tally, elapsed, samples, before,
                                        await holdings(control, admin)))
    sampler.cancel()
    requests = sum(r["requests"] for r in results)
    elapsed = time.monotonic() - started
    return {
        "seconds": round(elapsed, 1), "concurrency": concurrency, "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "records_pushed": held.records_acknowledged,
        "error_count": sum(r["error_count"] for r in results),
        "repushes_not_duplicate": sum(r["repushes_not_duplicate"] for r in results),
        "analytics_share": analytics_share, "as_of": as_of.isoformat(),
        "phases": results,
        "rss_samples": [(s.seconds, s.phase, s.records, round(s.rss_kib / 1024, 1))
                        for s in samples],
    }


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--phases", type=parse_phases, default=parse_phases(DEFAULT_PHASES),
                        help="NAME:SECONDS,... run in order; NAME is mixed (pushes of new "
                             "and re-sent batches, and reads), reads (no pushes) or repush "
                             "(every push re-sends an acknowledged batch); default "
                             + DEFAULT_PHASES)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--port", type=int, default=None,
                        help="the API's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--sample-seconds", type=float, default=5.0,
                        help="how often the server's RSS is sampled")
    parser.add_argument("--server-source", type=Path, default=None,
                        help="run the server from this source tree (PYTHONPATH), e.g. an "
                             "earlier commit unpacked with git archive, to compare before and "
                             "after a change in one session")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 1),
                        help="WUTONG_ANALYTICS_AS_OF for the server; cases are filed before")
    parser.add_argument("--analytics-share", type=float, default=0.2,
                        help="share of requests that read analytics (0..0.8)")
    parser.add_argument("--empty-neo4j", action="store_true",
                        help="delete everything in the configured Neo4j first")
    args = parser.parse_args()
    phases: list[Phase] = args.phases
    if not 1 <= sum(p.seconds for p in phases) <= 900:
        sys.exit("the phases must last between 1 and 900 seconds in all")
    if not phases[0].pushes or phases[0].resend_only:
        sys.exit("the first phase must push new records (mixed): the others read them")
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
    if args.server_source is not None:
        os.environ["PYTHONPATH"] = str(args.server_source.resolve())  # the server's only
    server = Server(settings, data / "server.log", args.port)
    try:
        result = asyncio.run(run(server.url, keys, server.process.pid, phases,
                                 args.concurrency, args.seed, args.as_of,
                                 args.analytics_share, args.sample_seconds))
    finally:
        server.stop()
    result.update({"store": args.store, "server_source": str(args.server_source or "."),
                   "date": datetime.now().isoformat(timespec="seconds")})
    print(json.dumps(result, ensure_ascii=False, indent=1))  # noqa: T201


if __name__ == "__main__":
    main()
