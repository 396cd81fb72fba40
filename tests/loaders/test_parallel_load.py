"""`load_paths`: several departments loaded at once, each in its own process (Neo4j)."""

from __future__ import annotations

import functools
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from api.settings import Settings
from api.stores import open_store
from graph.embedded_store import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.vocabulary import Department
from loaders.generator import generate
from loaders.mapping import shipped_mapping
from loaders.pipeline import LoadJob, load_path, load_paths

DEPARTMENTS = (Department.LABOUR_ARBITRATION, Department.PETITION_OFFICE, Department.HOTLINE_81890)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate(out, people=60, seed=3)
    return out


def _jobs(data: Path) -> list[LoadJob]:
    return [LoadJob(data / d.value, shipped_mapping(d)) for d in DEPARTMENTS]


@pytest.mark.neo4j
def test_parallel_load_gives_what_a_sequential_load_gives(
    data: Path, tmp_path: Path, neo4j_store: Neo4jStore, neo4j_settings: Settings,
) -> None:
    opener = functools.partial(open_store, neo4j_settings.model_copy(update={"store": "neo4j"}))
    reports = load_paths(_jobs(data), open_store=opener, quarantine_dir=tmp_path / "q",
                         batch_size=37, workers=2)
    with EmbeddedStore(tmp_path / "embedded") as embedded:
        expected = [load_path(job.path, mapping=job.mapping, store=embedded,
                              quarantine_dir=tmp_path / "q2", batch_size=37)
                    for job in _jobs(data)]
        expected_counts = embedded.counts()
    assert [r.source for r in reports] == [d.value for d in DEPARTMENTS]
    for got, want in zip(reports, expected, strict=True):
        assert got.reconciled
        assert (got.read, got.accepted, got.new_versions, got.duplicates, got.quarantined) == (
            want.read, want.accepted, want.new_versions, want.duplicates, want.quarantined)
    counts = neo4j_store.counts()
    assert counts.records_by_source == expected_counts.records_by_source
    assert counts.record_versions == expected_counts.record_versions

    again = load_paths(_jobs(data), open_store=opener, quarantine_dir=tmp_path / "q",
                       batch_size=37, workers=2)
    assert all(r.loaded == 0 and r.reconciled for r in again)
    assert sum(r.duplicates for r in again) == sum(r.loaded for r in reports) + sum(
        r.duplicates for r in reports)


def test_parallel_jobs_must_load_different_sources(data: Path, tmp_path: Path) -> None:
    job = LoadJob(data / "labour", shipped_mapping(Department.LABOUR_ARBITRATION))
    with pytest.raises(ValueError, match="labour appears twice"):
        load_paths([job, job], open_store=lambda: EmbeddedStore(tmp_path / "e"),
                   quarantine_dir=tmp_path / "q", workers=2)


def test_workers_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        load_paths([], open_store=lambda: EmbeddedStore(tmp_path / "e"),
                   quarantine_dir=tmp_path / "q", workers=0)


# Run in a fresh interpreter: the test process may hold threads other tests left behind,
# and then workers are rightly spawned.
FORK_CHECK = """
import functools, multiprocessing, sys
from pathlib import Path
from api.settings import Settings
from api.stores import open_store
from graph.vocabulary import Department
from loaders.mapping import shipped_mapping
from loaders.pipeline import LoadJob, load_paths

used = []
real = multiprocessing.get_context
multiprocessing.get_context = lambda name=None: used.append(name) or real(name)
data, quarantine = Path(sys.argv[1]), Path(sys.argv[2])
jobs = [LoadJob(data / d.value, shipped_mapping(d))
        for d in (Department.LABOUR_ARBITRATION, Department.PETITION_OFFICE)]
reports = load_paths(jobs, open_store=functools.partial(open_store, Settings(store="neo4j")),
                     quarantine_dir=quarantine, workers=2)
print(used, all(r.reconciled and r.accepted > 0 for r in reports))
"""


@pytest.mark.neo4j
def test_workers_are_forked_from_a_process_without_other_threads(
    data: Path, tmp_path: Path, neo4j_store: Neo4jStore,
) -> None:
    done = subprocess.run([sys.executable, "-c", FORK_CHECK, str(data), str(tmp_path / "q")],
                          capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.split("\n")[-2] == "['fork'] True"


@pytest.mark.neo4j
def test_workers_are_spawned_while_another_thread_runs(
    data: Path, tmp_path: Path, neo4j_store: Neo4jStore, neo4j_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    used: list[str | None] = []
    real_get_context = multiprocessing.get_context

    def spy(name: str | None = None) -> Any:
        used.append(name)
        return real_get_context(name)

    monkeypatch.setattr(multiprocessing, "get_context", spy)
    opener = functools.partial(open_store, neo4j_settings.model_copy(update={"store": "neo4j"}))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        reports = load_paths(_jobs(data)[:2], open_store=opener, quarantine_dir=tmp_path / "q",
                             workers=2)
    finally:
        stop.set()
        thread.join()
    assert used == ["spawn"]
    assert all(r.reconciled and r.accepted > 0 for r in reports)


def _open_noting_pid(folder: Path, notes: Path) -> EmbeddedStore:
    with notes.open("a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()}\n")
    return EmbeddedStore(folder)


def test_the_store_is_opened_once_before_the_workers(data: Path, tmp_path: Path) -> None:
    # Opening applies the schema and migrations; workers opening an old store at once
    # would each run the migration, racing one another.
    notes = tmp_path / "opened"
    opener = functools.partial(_open_noting_pid, tmp_path / "e", notes)
    load_paths(_jobs(data)[:2], open_store=opener, quarantine_dir=tmp_path / "q", workers=2)
    pids = notes.read_text(encoding="utf-8").split()
    assert pids[0] == str(os.getpid()) and len(pids) == 3
