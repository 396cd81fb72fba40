"""Record-by-record resolution latency against a large store (embedded or Neo4j).

    .venv/bin/python benchmarks/bench_online.py --work /tmp/online1m --people 118500
    .venv/bin/python benchmarks/bench_online.py --work /tmp/online1m      # reuse the store
    # Neo4j: a disposable server (the preparation empties it), WUTONG_NEO4J_* pointing at it
    WUTONG_TEST_NEO4J=disposable .venv/bin/python benchmarks/bench_online.py --store neo4j \
        --work /tmp/online-neo4j --people 14250

Preparation (skipped step by step when `--work` already holds it, see prepare.json):
`wutong generate` the population, `wutong load` every department folder into
WUTONG_DATA_DIR=<work>/data, then `wutong resolve` (batch-resolve the whole store, write
entities, save the models). Each step runs as a subprocess under GNU time: wall seconds
and peak RSS. About 8.4 person mentions per generated person, so 118,500 people give
about 1,000,000 stored person mentions (plus about 0.45 M enterprise mentions).

Measurement: --records person records that were never loaded, in three classes, shuffled:
`id` (a stored person's name and ID number, phone in another format or the landline,
sometimes an address), `name_phone` (a stored person's name and mobile, no ID number) and
`new` (people of another generated population, seed --new-seed). The store is opened once
(EmbeddedStore, or with --store neo4j a Neo4jStore on the server the WUTONG_NEO4J_*
settings name; the preparation then runs with WUTONG_STORE=neo4j and first empties that
server, so it must be a disposable one), an OnlineResolver built with the saved models,
and for each record `append_records` then `resolve_record` are timed separately
(time.perf_counter), in one thread. The store methods the resolver calls are wrapped to
time them per record (a few hundred nanoseconds each; a call made inside another, as the
embedded store's step_context makes them, counts only as the outer one), and gc.callbacks
times garbage collections. Afterwards, and untimed: whether each link went to an entity
holding the true person (ground truth of the stored mentions). Then --profile records
more, each under its own cProfile: the slowest one's profile and the sum of all are
written under --work and their top functions printed.

`--enterprises` pushes enterprise records instead (`code`: registered name and credit code;
`name_only`: the name as departments write it, no code; `new`: another population's
enterprises). `--shipped-models` resolves with resolver/default_models/ (what a store uses
before its first batch run) instead of the preparation's trained models. `--tag NAME` names
the run; the records pushed follow from it, so runs on copies of one store push the same.

`--entity-wal-autocheckpoint N` is a what-if: it sets that PRAGMA on the store's entity
journal connection before the pushes. Each run adds its records to the store under --work
and draws its new people from a population it has not used yet.

Prints a Markdown table; writes the raw numbers to <work>/online-<run>.json.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import resource
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from api.resolve_command import options_from
from api.settings import Settings
from api.stores import open_store
from graph.embedded_store import ENTITY_FILE, EmbeddedStore
from graph.entities import EntityKind
from graph.records import EnterpriseRecord, PersonRecord
from graph.store import ResolvingStore
from graph.vocabulary import Department, Sex
from loaders.generator import generate
from resolver.online import OnlineResolver, load_models

WUTONG = Path(sys.executable).parent / "wutong"
REPO = Path(__file__).resolve().parents[1]
STORE_METHODS = ("step_context", "mention_link", "mention_candidates", "key_count",
                 "entity_total", "entity_members", "allocate_entity_ids", "write_resolution")
CLASSES = ("id", "name_phone", "new")
ENTERPRISE_CLASSES = ("code", "name_only", "new")  # --enterprises
SOURCES = (Department.HOTLINE_81890, Department.COMPLAINT_96178, Department.PETITION_OFFICE,
           Department.PEOPLES_MEDIATION, Department.LABOUR_ARBITRATION)
WARM_AFTER = 100


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --- preparation ----------------------------------------------------------------------


def code_version() -> str:
    """The commit, plus the resolver and store files edited since (others work in this tree)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                              check=False).stdout.rstrip()

    dirty = [line[3:] for line in git("status", "--short", "resolver", "graph").splitlines()]
    return git("rev-parse", "--short", "HEAD").strip() + (f" + edits to {', '.join(dirty)}"
                                                   if dirty else "")


def _neo4j_env() -> dict[str, str]:
    """The Neo4j settings of this environment, spelt out, so that they still hold for a
    subprocess whose WUTONG_DATA_DIR (where the local server's password file is) differs."""
    settings = Settings()
    return {"WUTONG_STORE": "neo4j", "WUTONG_NEO4J_URI": settings.neo4j_uri,
            "WUTONG_NEO4J_USER": settings.neo4j_user,
            "WUTONG_NEO4J_PASSWORD": settings.neo4j_password_value(),
            "WUTONG_NEO4J_DATABASE": settings.neo4j_database}


def _settings(work: Path, store: str) -> Settings:
    env = _neo4j_env() if store == "neo4j" else {}
    return Settings(data_dir=work / "data", store=store,  # type: ignore[arg-type]
                    **{k.removeprefix("WUTONG_").lower(): v for k, v in env.items()
                       if k != "WUTONG_STORE"})


def _run_timed(work: Path, name: str, args: list[str], store: str) -> dict[str, Any]:
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    timing = logs / f"{name}.time"
    env = {**os.environ, "WUTONG_DATA_DIR": str(work / "data"), "COLUMNS": "160",
           **(_neo4j_env() if store == "neo4j" else {"WUTONG_STORE": "embedded"})}
    code = code_version()
    with open(logs / f"{name}.log", "w") as log:
        done = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", str(timing), str(WUTONG),
                               *args], env=env, stdout=log, stderr=subprocess.STDOUT,
                              check=False)
    seconds, kib = timing.read_text().split()[-2:]
    step = {"step": name, "seconds": float(seconds), "peak_rss_mib": round(int(kib) / 1024),
            "exit": done.returncode, "code": code}
    say(f"  {name}: {step['seconds']:.1f} s, {step['peak_rss_mib']} MiB, "
          f"exit {done.returncode}")
    if done.returncode != 0:
        tail = (logs / f"{name}.log").read_text(errors="replace")[-2000:]
        raise SystemExit(f"{name} failed (exit {done.returncode}):\n{tail}")
    return step


def prepare(work: Path, people: int, seed: int, store: str) -> dict[str, Any]:
    """Generate, load and batch-resolve; resumable, each finished step noted in prepare.json."""
    state_file = work / "prepare.json"
    state: dict[str, Any] = (json.loads(state_file.read_text()) if state_file.exists()
                             else {"people": people, "seed": seed, "store": store, "steps": []})
    if (state["people"], state["seed"]) != (people, seed):
        say(f"reusing {work}: prepared with people={state['people']} seed={state['seed']}")
    if state.get("store", "embedded") != store:
        raise SystemExit(f"{work} was prepared for the {state.get('store', 'embedded')} store")
    done = {s["step"] for s in state["steps"]}

    def step(name: str, args: list[str]) -> None:
        if name in done:
            return
        state["steps"].append(_run_timed(work, name, args, store))
        state_file.write_text(json.dumps(state, indent=1))

    if store == "neo4j" and "empty-neo4j" not in done:
        if os.environ.get("WUTONG_TEST_NEO4J") != "disposable":
            raise SystemExit("the preparation empties Neo4j: point WUTONG_NEO4J_* at a "
                             "throwaway server and set WUTONG_TEST_NEO4J=disposable")
        from graph.neo4j_store import Neo4jStore, delete_everything

        with open_store(_settings(work, store)) as emptied:
            assert isinstance(emptied, Neo4jStore)
            delete_everything(emptied)
        state["steps"].append({"step": "empty-neo4j"})
        state_file.write_text(json.dumps(state, indent=1))

    gen = work / "gen"
    step("generate", ["generate", "--out", str(gen), "--people", str(state["people"]),
                      "--seed", str(state["seed"]), "--overwrite"])
    for department in Department:
        if (gen / department.value).is_dir():
            step(f"load-{department.value}",
                 ["load", str(gen / department.value), "--source", department.value])
    step("resolve", ["resolve"])
    return state


def store_size(work: Path, store: str) -> dict[str, Any]:
    if store == "neo4j":
        with open_store(_settings(work, store)) as opened:
            assert isinstance(opened, ResolvingStore)
            return {"mentions": {k.value: opened.mention_total(k) for k in EntityKind},
                    "entities": {k.value: opened.entity_total(k) for k in EntityKind},
                    "records": opened.counts().records}
    embedded = work / "data" / "embedded"
    db = sqlite3.connect(f"file:{embedded / ENTITY_FILE}?mode=ro", uri=True)
    try:
        mentions = dict(db.execute("SELECT kind, count(*) FROM mention GROUP BY kind"))
        entities = dict(db.execute("SELECT kind, count(*) FROM entity"
                                   " WHERE absorbed_into IS NULL GROUP BY kind"))
        keys = db.execute("SELECT count(*) FROM mention_key").fetchone()[0]
    finally:
        db.close()
    files = {p.name: round(p.stat().st_size / 2**20) for p in sorted(embedded.iterdir())}
    return {"mentions": mentions, "entities": entities, "mention_keys": keys,
            "files_mib": files}


# --- the held-out records -------------------------------------------------------------


def _people(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as lines:
        return [p for line in lines if (p := json.loads(line))["kind"] == "person"]


def _phone_variant(mobile: str, rng: random.Random) -> str:
    return rng.choice([mobile, f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}",
                       f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"])


@dataclass(frozen=True)
class HeldOut:
    cls: str
    truth: str  # the generated person's id (in the stored population unless cls is "new")
    record: PersonRecord | EnterpriseRecord


def held_out(work: Path, n: int, new_seed: int, tag: str, rng: random.Random
             ) -> list[HeldOut]:
    """Records of stored people and of new ones; a new population for every run on a store
    (an earlier run's new people are stored people now)."""
    runs_file = work / "data" / "online-runs.json"
    runs: list[str] = json.loads(runs_file.read_text()) if runs_file.exists() else []
    new_seed += len(runs)
    runs_file.write_text(json.dumps([*runs, tag]))
    stored = [p for p in _people(work / "gen" / "entities.jsonl") if not p["minor"]]
    fresh_dir = work / f"gen-new-{new_seed}"
    if not (fresh_dir / "entities.jsonl").exists():
        generate(fresh_dir, people=max(2000, n), seed=new_seed)
    fresh = [p for p in _people(fresh_dir / "entities.jsonl") if not p["minor"]]
    classes = [CLASSES[k % 3] for k in range(n)]
    rng.shuffle(classes)
    picked_stored = iter(rng.sample(stored, n))
    picked_fresh = iter(rng.sample(fresh, min(n, len(fresh))))
    out = []
    for k, cls in enumerate(classes):
        person = next(picked_fresh) if cls == "new" else next(picked_stored)
        fields: dict[str, Any] = {"name": person["name"]}
        if cls in ("id", "new"):
            fields["id_number"] = person["id_number"]
            fields["phone"] = (person["landline"] if person["landline"] and rng.random() < 0.3
                               else _phone_variant(person["mobile"], rng))
            if rng.random() < 0.5:
                fields["sex"] = Sex(person["sex"])
                fields["birth_date"] = person["birth_date"]
        else:
            fields["phone"] = _phone_variant(person["mobile"], rng)
        if rng.random() < 0.5:
            fields["address"] = person["address"]
        record = PersonRecord(source=rng.choice(SOURCES), source_id=f"online-{tag}-{k:05d}",
                              observed_at=datetime(2026, 11, 25), **fields)
        out.append(HeldOut(cls, person["id"], record))
    return out


def _written_otherwise(name: str, rng: random.Random) -> str:
    """An informal way a department writes a registered name (domain-china.md §4.2)."""
    choice = rng.random()
    if choice < 0.35 and name.startswith("宁波"):
        return name.removeprefix("宁波市").removeprefix("宁波")  # region dropped
    if choice < 0.6 and name.endswith("有限责任公司"):
        return name.removesuffix("有限责任公司") + "有限公司"
    if choice < 0.6 and name.endswith("有限公司") and not name.endswith("股份有限公司"):
        return name.removesuffix("有限公司") + "有限责任公司"
    return name


def held_out_enterprises(work: Path, n: int, new_seed: int, tag: str, rng: random.Random
                         ) -> list[HeldOut]:
    """Enterprise records (--enterprises): `code` (the registered name and credit code,
    sometimes a phone or address), `name_only` (the name as departments write it, no code,
    sometimes the address or phone) and `new` (enterprises of another population)."""
    runs_file = work / "data" / "online-runs.json"
    runs: list[str] = json.loads(runs_file.read_text()) if runs_file.exists() else []
    new_seed += len(runs)
    runs_file.write_text(json.dumps([*runs, tag]))

    def firms(path: Path) -> list[dict[str, Any]]:
        with open(path, encoding="utf-8") as lines:
            return [row for line in lines if (row := json.loads(line))["kind"] == "enterprise"]

    stored = firms(work / "gen" / "entities.jsonl")
    fresh_dir = work / f"gen-new-{new_seed}"
    if not (fresh_dir / "entities.jsonl").exists():
        generate(fresh_dir, people=max(2000, n), seed=new_seed)
    fresh = firms(fresh_dir / "entities.jsonl")
    classes = [ENTERPRISE_CLASSES[k % 3] for k in range(n)]
    rng.shuffle(classes)
    picked_stored = iter(rng.choices(stored, k=n))
    picked_fresh = iter(rng.choices(fresh, k=n))
    out = []
    for k, cls in enumerate(classes):
        firm = next(picked_fresh) if cls == "new" else next(picked_stored)
        fields: dict[str, Any] = {"name": firm["name"]}
        if cls == "code" or (cls == "new" and rng.random() < 0.5):
            fields["credit_code"] = firm["credit_code"]
        else:
            fields["name"] = _written_otherwise(firm["name"], rng)
        if rng.random() < 0.5:
            fields["address"] = firm["address"]
        elif rng.random() < 0.4:
            fields["phone"] = firm["phone"]
        record = EnterpriseRecord(
            source=rng.choice((Department.LABOUR_ARBITRATION, Department.MARKET_REGULATION)),
            source_id=f"online-{tag}-{k:05d}", observed_at=datetime(2026, 11, 25), **fields)
        out.append(HeldOut(cls, firm["id"], record))
    return out


# --- timing ---------------------------------------------------------------------------


@dataclass
class CallLog:
    """Time and result sizes of the store calls made while resolving one record."""

    ms: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: Counter[str] = field(default_factory=Counter)
    candidates: int = 0
    members: int = 0
    depth: int = 0  # store calls in progress: one made inside another is not counted again

    def reset(self) -> None:
        self.ms, self.calls = defaultdict(float), Counter()
        self.candidates = self.members = 0


@dataclass
class GcLog:
    """Cyclic garbage collections while resolving one record (gc.callbacks)."""

    ms: float = 0.0
    full: int = 0
    _started: float = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        self.ms += (time.perf_counter() - self._started) * 1000
        self.full += info["generation"] == 2

    def reset(self) -> None:
        self.ms, self.full = 0.0, 0


def instrument(store: ResolvingStore, log: CallLog) -> None:
    for name in STORE_METHODS:
        method: Callable[..., Any] = getattr(store, name)

        def timed(*args: Any, _name: str = name, _method: Callable[..., Any] = method,
                  **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            log.depth += 1
            try:
                result = _method(*args, **kwargs)
            finally:
                log.depth -= 1
            if log.depth:
                return result
            log.ms[_name] += (time.perf_counter() - t0) * 1000
            log.calls[_name] += 1
            if _name == "step_context":
                log.candidates += len(result.candidates)
            elif _name == "mention_candidates":
                log.candidates += len(result)
            elif _name == "entity_members":
                log.members += len(result)
            return result

        setattr(store, name, timed)


def _stats(values: list[float]) -> dict[str, float]:
    a = np.asarray(values, dtype=float)
    if a.size == 0:
        return {"n": 0}
    return {"n": int(a.size), "p50": float(np.percentile(a, 50)),
            "p90": float(np.percentile(a, 90)), "p99": float(np.percentile(a, 99)),
            "max": float(a.max()), "mean": float(a.mean())}


def _truth_of_members(work: Path) -> Callable[[str, str, str], str | None]:
    truth: dict[str, Any] = {}
    with open(work / "gen" / "ground_truth.jsonl", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            truth[f"{row['source']}:{row['source_id']}"] = row

    def of(source: str, source_id: str, slot: str) -> str | None:
        row = truth.get(f"{source}:{source_id}")
        if row is None:
            return None
        if slot == "":
            return row.get("entity")  # type: ignore[no-any-return]
        if slot.startswith("party"):
            parties = row.get("parties") or []
            k = int(slot[5:])
            return parties[k] if k < len(parties) else None
        return row.get(slot)  # type: ignore[no-any-return]  # subject, person, enterprise

    return of


def measure(work: Path, records: list[HeldOut], profile: list[HeldOut],
            autocheckpoint: int | None, store_name: str, shipped_models: bool = False
            ) -> dict[str, Any]:
    settings = _settings(work, store_name)
    began = time.perf_counter()
    store = open_store(settings)
    assert isinstance(store, ResolvingStore)
    open_seconds = time.perf_counter() - began
    if autocheckpoint is not None:  # a what-if: reaches into the store's private connection
        assert isinstance(store, EmbeddedStore)
        store._entities._db.execute(f"PRAGMA wal_autocheckpoint={autocheckpoint:d}")
    rss_after_open = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"  opened the store in {open_seconds:.1f} s ({rss_after_open:.0f} MiB)")
    # --shipped-models: the models a store uses before its first batch run
    models_dir = work / "no-models" if shipped_models else settings.models_dir
    resolver = OnlineResolver(store, load_models(models_dir), options_from(settings))
    log = CallLog()
    instrument(store, log)
    collections = GcLog()
    gc.callbacks.append(collections)
    rows: list[dict[str, Any]] = []
    for k, held in enumerate(records):
        log.reset()
        collections.reset()
        t0 = time.perf_counter()
        store.append_records([held.record])
        t1 = time.perf_counter()
        outcomes = resolver.resolve_record(held.record)
        t2 = time.perf_counter()
        store_ms = sum(log.ms.values())
        rows.append({
            "k": k, "class": held.cls, "truth": held.truth,
            "append_ms": (t1 - t0) * 1000, "resolve_ms": (t2 - t1) * 1000,
            "total_ms": (t2 - t0) * 1000, "store_ms": store_ms,
            "store_calls": {n: [log.calls[n], round(log.ms[n], 4)] for n in log.calls},
            "candidates": log.candidates, "member_rows": log.members,
            "gc_ms": collections.ms, "gc_full": collections.full,
            "decision": outcomes[0].decision.value, "entity": outcomes[0].entity_id,
            "score": outcomes[0].score, "merged": list(outcomes[0].merged)})
        if (k + 1) % 500 == 0:
            say(f"  {k + 1} records")
    gc.callbacks.remove(collections)
    rss_after_run = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Untimed: did each link go to an entity holding the true person?
    truth_of = _truth_of_members(work)
    for row in rows:
        if row["decision"] != "link":
            row["correct"] = row["class"] == "new"
            continue
        members = Counter(t for m in store.entity_members(row["entity"])
                          if (t := truth_of(m.source, m.source_id, m.slot)) is not None)
        row["entity_truths"] = dict(members.most_common(3))
        row["correct"] = row["class"] != "new" and row["truth"] in members

    profiled = _profile(work, store, resolver, log, profile) if profile else None
    store.close()
    return {"open_seconds": open_seconds, "rss_after_open_mib": rss_after_open,
            "rss_after_run_mib": rss_after_run, "rows": rows, "profile": profiled}


def _profile(work: Path, store: ResolvingStore, resolver: OnlineResolver, log: CallLog,
             records: list[HeldOut]) -> dict[str, Any]:
    total: pstats.Stats | None = None
    slowest: tuple[float, cProfile.Profile | None, dict[str, Any]] = (-1.0, None, {})
    for held in records:
        store.append_records([held.record])
        log.reset()
        one = cProfile.Profile()
        t0 = time.perf_counter()
        one.enable()
        outcomes = resolver.resolve_record(held.record)
        one.disable()
        ms = (time.perf_counter() - t0) * 1000
        one.create_stats()
        if total is None:
            total = pstats.Stats(one)
        else:
            total.add(one)
        if ms > slowest[0]:
            slowest = (ms, one, {"class": held.cls, "ms_under_profile": ms,
                                 "decision": outcomes[0].decision.value,
                                 "candidates": log.candidates, "member_rows": log.members,
                                 "store_calls": {n: [log.calls[n], round(log.ms[n], 3)]
                                                 for n in log.calls}})
    assert total is not None and slowest[1] is not None
    total.dump_stats(str(work / "profile-all.prof"))
    slowest[1].dump_stats(str(work / "profile-slowest.prof"))
    return {"records": len(records), "slowest": slowest[2],
            "slowest_top": _top(pstats.Stats(slowest[1]), 30), "all_top": _top(total, 40)}


def _top(stats: pstats.Stats, n: int) -> str:
    text = io.StringIO()
    stats.stream = text  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(n)
    return text.getvalue()


# --- report ---------------------------------------------------------------------------


def _fmt(s: dict[str, float]) -> str:
    if not s.get("n"):
        return "| 0 | | | | | |"
    return (f"| {s['n']:,} | {s['p50']:.2f} | {s['p90']:.2f} | {s['p99']:.2f} | "
            f"{s['max']:.2f} | {s['mean']:.2f} |")


def report(result: dict[str, Any]) -> str:
    rows = result["rows"]
    lines = ["| what | records | p50 ms | p90 ms | p99 ms | max ms | mean ms |",
             "|---|---|---|---|---|---|---|"]

    def add(label: str, selected: list[dict[str, Any]], key: str = "resolve_ms") -> None:
        stats = _stats([r[key] for r in selected])
        result["summary"][label] = stats
        lines.append(f"| {label} {_fmt(stats)}")

    result["summary"] = {}
    add("resolve_record, all", rows)
    add(f"resolve_record, cold (first {WARM_AFTER})", rows[:WARM_AFTER])
    add("resolve_record, warm (the rest)", rows[WARM_AFTER:])
    classes = [c for c in (*CLASSES, *ENTERPRISE_CLASSES) if any(r["class"] == c for r in rows)]
    for cls in dict.fromkeys(classes):
        add(f"resolve_record, class {cls}", [r for r in rows if r["class"] == cls])
    add("append_records", rows, "append_ms")
    add("append + resolve", rows, "total_ms")
    add("store calls inside resolve", rows, "store_ms")
    add("garbage collection inside append + resolve", rows, "gc_ms")
    lines += ["", "| class | link | new | review | link to the true entity | merges |",
              "|---|---|---|---|---|---|"]
    for cls in dict.fromkeys(classes):
        mine = [r for r in rows if r["class"] == cls]
        decisions = Counter(r["decision"] for r in mine)
        right = sum(1 for r in mine if r["decision"] == "link" and r["correct"])
        lines.append(f"| {cls} | {decisions['link']} | {decisions['new']} | "
                     f"{decisions['review']} | {right} | {sum(bool(r['merged']) for r in mine)} |")
    calls: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        for name, (count, ms) in r["store_calls"].items():
            calls[name][0] += count
            calls[name][1] += ms
    lines += ["", "| store call | calls per record | ms per record (mean) |", "|---|---|---|"]
    for name, (count, ms) in sorted(calls.items(), key=lambda item: -item[1][1]):
        lines.append(f"| {name} | {count / len(rows):.2f} | {ms / len(rows):.3f} |")
    ranked = sorted(rows, key=lambda r: -r["resolve_ms"])
    tail = ranked[:max(1, len(rows) // 100)]
    tail_calls: dict[str, float] = defaultdict(float)
    for r in tail:
        for name, (_, ms) in r["store_calls"].items():
            tail_calls[name] += ms / len(tail)
    lines += ["", f"slowest 1 % ({len(tail)} records): resolve mean "
              f"{np.mean([r['resolve_ms'] for r in tail]):.2f} ms, of which store calls "
              + ", ".join(f"{n} {ms:.2f}" for n, ms in sorted(tail_calls.items(),
                                                              key=lambda item: -item[1]))
              + f", garbage collection {np.mean([r['gc_ms'] for r in tail]):.2f}"
              f"; classes {dict(Counter(r['class'] for r in tail))}, decisions "
              f"{dict(Counter(r['decision'] for r in tail))}"]
    full = [r for r in rows if r["gc_full"]]
    lines.append(f"full (generation 2) collections during {len(full)} records, "
                 f"{sum(r['gc_ms'] for r in full):.0f} ms in all collections of those records; "
                 f"their resolve_record ms: {sorted(round(r['resolve_ms']) for r in full)}")
    lines.append("")
    lines.append(f"candidates per record: mean {np.mean([r['candidates'] for r in rows]):.1f}, "
                 f"max {max(r['candidates'] for r in rows)}; member rows read per record: "
                 f"mean {np.mean([r['member_rows'] for r in rows]):.1f}, "
                 f"max {max(r['member_rows'] for r in rows)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--work", type=Path, default=Path("/tmp/wutong-online"))
    parser.add_argument("--people", type=int, default=118_500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--new-seed", type=int, default=8)
    parser.add_argument("--profile", type=int, default=100,
                        help="records resolved under cProfile after the timed ones (0: none)")
    parser.add_argument("--entity-wal-autocheckpoint", type=int, default=None,
                        help="what-if: set the entity journal's PRAGMA wal_autocheckpoint "
                             "(SQLite's default is 1000 pages; 0 turns it off)")
    parser.add_argument("--tag", default=None,
                        help="the run's name (default: the time); the records pushed follow "
                             "from it, so two runs on copies of one store push the same")
    parser.add_argument("--enterprises", action="store_true",
                        help="push enterprise records instead of person records")
    parser.add_argument("--shipped-models", action="store_true",
                        help="resolve with resolver/default_models/ instead of the models "
                             "the preparation's batch run trained")
    args = parser.parse_args()
    code = code_version()  # the modules this process imported at its start

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    say(f"preparing {work} (code {code})")
    state = prepare(work, args.people, args.seed, args.store)
    size = store_size(work, args.store)
    say(f"  store: {json.dumps(size, ensure_ascii=False)}")
    tag = args.tag or datetime.now().strftime("%Y%m%dT%H%M%S")
    rng = random.Random(f"{args.seed}/{args.new_seed}/{tag}")
    pick = held_out_enterprises if args.enterprises else held_out
    picked = pick(work, args.records + args.profile, args.new_seed, tag, rng)
    say(f"measuring {args.records} records (run {tag})")
    result = measure(work, picked[:args.records], picked[args.records:],
                     args.entity_wal_autocheckpoint, args.store, args.shipped_models)
    table = report(result)
    result.update({"run": tag, "code": code, "records": args.records, "prepare": state,
                   "store_kind": args.store,
                   "entity_wal_autocheckpoint": args.entity_wal_autocheckpoint,
                   "shipped_models": args.shipped_models, "enterprises": args.enterprises,
                   "store": size,
                   "python": sys.version.split()[0], "cpus": os.cpu_count()})
    (work / f"online-{tag}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1,
                                                        default=str))
    say()
    say(f"store: {size['mentions']} mentions, {size['entities']} entities; store opened in "
          f"{result['open_seconds']:.1f} s; peak RSS {result['rss_after_run_mib']:.0f} MiB")
    say()
    say(table)
    if result["profile"]:
        slowest = result["profile"]["slowest"]
        say(f"\nslowest of {args.profile} profiled records: {json.dumps(slowest)}")
        say(result["profile"]["slowest_top"])
        say(f"all {args.profile} profiled records:")
        say(result["profile"]["all_top"])
    say(f"raw numbers: {work / f'online-{tag}.json'}")


if __name__ == "__main__":
    main()
