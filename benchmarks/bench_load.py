"""Bulk load and single-push latency of a store, on generated demo data.

    .venv/bin/python benchmarks/bench_load.py --people 15000 --store embedded
    .venv/bin/python benchmarks/bench_load.py --people 15000 --store neo4j   # needs a server
    .venv/bin/python benchmarks/bench_load.py --people 15000 --store neo4j --workers 2

Generates the data (unless --data names a generated folder), loads every department
through the real load pipeline into an empty store, then pushes --pushes single records
one at a time. With --workers N (Neo4j only) departments load N at a time, each in its
own process (`loaders.pipeline.load_paths`). Prints one JSON object: records, seconds,
records/s, push p50/p99 (ms), peak RSS of this process, of the worker processes (the
largest) and, for Neo4j, of the server (VmHWM from /proc), and the CPU seconds the load
took in the client processes and in the server.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from api.settings import Settings
from api.stores import open_store
from graph.neo4j_server import running_pid
from graph.neo4j_store import Neo4jStore, delete_everything
from graph.records import PersonRecord
from graph.vocabulary import Department
from loaders.generator import generate
from loaders.mapping import shipped_mapping
from loaders.pipeline import LoadJob, load_path, load_paths


def _peak_rss_mib(pid: int | None = None) -> float:
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if pid == -1:
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU of this process and its waited-for children, or of `pid`."""
    if pid is None:
        return sum(r.ru_utime + r.ru_stime for r in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN)))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=15000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--pushes", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1,
                        help="departments loading at once, each in its own process (Neo4j)")
    args = parser.parse_args()
    if args.workers > 1 and args.store != "neo4j":
        raise SystemExit("--workers > 1 needs --store neo4j (the embedded store is "
                         "single-process)")

    work = Path(tempfile.mkdtemp(prefix="wutong-bench-"))
    settings = Settings(data_dir=work, store=args.store) if args.store == "embedded" else \
        Settings(store="neo4j")
    data = args.data
    if data is None:
        data = work / "data"
        generate(data, people=args.people, seed=args.seed)

    if args.store == "neo4j" and os.environ.get("WUTONG_TEST_NEO4J") != "disposable":
        raise SystemExit("the benchmark empties Neo4j: point WUTONG_NEO4J_* at a throwaway "
                         "server and set WUTONG_TEST_NEO4J=disposable")
    store = open_store(settings)
    if isinstance(store, Neo4jStore):
        delete_everything(store)
    server_pid = running_pid(settings.neo4j_server_dir) if args.store == "neo4j" else None
    jobs = [LoadJob(data / d.value, shipped_mapping(d)) for d in Department
            if (data / d.value).is_dir()]
    cpu_before = (_cpu_seconds(None), _cpu_seconds(server_pid) if server_pid else 0.0)
    began = time.perf_counter()
    if args.workers > 1:
        reports = load_paths(jobs, open_store=functools.partial(open_store, settings),
                             quarantine_dir=work / "quarantine",
                             batch_size=settings.load_batch_size, workers=args.workers)
    else:
        reports = [load_path(job.path, mapping=job.mapping, store=store,
                             quarantine_dir=work / "quarantine",
                             batch_size=settings.load_batch_size) for job in jobs]
    load_seconds = time.perf_counter() - began
    client_cpu = _cpu_seconds(None) - cpu_before[0]
    server_cpu = _cpu_seconds(server_pid) - cpu_before[1] if server_pid else None
    loaded = sum(r.loaded for r in reports)
    quarantined = sum(r.quarantined for r in reports)

    latencies = []
    for i in range(args.pushes):
        record = PersonRecord(source=Department.HOTLINE_81890, source_id=f"bench-push-{i}",
                              observed_at=datetime(2026, 11, 25), name="黄伟",
                              phone="13812345678")
        t0 = time.perf_counter()
        store.append_records([record])
        latencies.append((time.perf_counter() - t0) * 1000)
    store.close()
    quantiles = statistics.quantiles(latencies, n=100)
    sys.stdout.write(json.dumps({
        "store": args.store, "workers": args.workers, "records_loaded": loaded,
        "quarantined": quarantined, "load_seconds": round(load_seconds, 2),
        "records_per_second": round(loaded / load_seconds),
        "push_p50_ms": round(statistics.median(latencies), 2),
        "push_p99_ms": round(quantiles[98], 2),
        "python_peak_rss_mib": round(_peak_rss_mib()),
        "worker_peak_rss_mib": round(_peak_rss_mib(-1)) if args.workers > 1 else None,
        "server_peak_rss_mib": round(_peak_rss_mib(server_pid)) if server_pid else None,
        "load_cpu_seconds_client": round(client_cpu, 1),
        "load_cpu_seconds_server": round(server_cpu, 1) if server_cpu is not None else None,
    }) + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
