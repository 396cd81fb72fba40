"""A load: files → rows → canonical records → store, with quarantine and reconciliation."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from graph.errors import InputFileError, MappingError, StoreError
from graph.forking import can_fork
from graph.records import CanonicalRecord
from graph.store import AppendOutcome, GraphStore
from loaders.mapper import RowMapper, RowRejected
from loaders.mapping import DepartmentMapping, TableMapping
from loaders.quarantine import Quarantine, QuarantineEntry
from loaders.readers import SUPPORTED_SUFFIXES, read_rows

Progress = Callable[[int], None]


@dataclass
class LoadReport:
    """What a load read and what became of every row."""

    source: str
    files: list[Path] = field(default_factory=list)
    read: int = 0
    accepted: int = 0
    new_versions: int = 0
    duplicates: int = 0
    quarantined: int = 0
    quarantine_file: Path | None = None

    @property
    def loaded(self) -> int:
        return self.accepted + self.new_versions

    @property
    def reconciled(self) -> bool:
        return self.read == self.loaded + self.duplicates + self.quarantined

    def reconciliation_line(self) -> str:
        verdict = "reconciled" if self.reconciled else "DOES NOT RECONCILE"
        return (
            f"{self.source}: read {self.read} = loaded {self.loaded} "
            f"(new {self.accepted}, changed {self.new_versions}) + duplicates {self.duplicates}"
            f" + quarantined {self.quarantined}: {verdict}"
        )


def plan_files(path: Path, mapping: DepartmentMapping) -> list[tuple[Path, TableMapping]]:
    """Every file to load under `path` with the table that reads it.

    A readable file that no table matches is an error before anything is loaded: skipping
    it silently would lose its rows.
    """
    if not path.exists():
        raise InputFileError(f"{path} does not exist")
    candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    unreadable = [p.name for p in candidates if p.suffix.lower() not in SUPPORTED_SUFFIXES]
    if unreadable:
        raise InputFileError(
            f"{path} holds files Wutong cannot read ({', '.join(unreadable[:5])}); supported: "
            f"{', '.join(SUPPORTED_SUFFIXES)}. Convert them or move them out of the folder"
        )
    planned: list[tuple[Path, TableMapping]] = []
    unmatched: list[str] = []
    for file in candidates:
        table = mapping.table_for(file)
        if table is None:
            unmatched.append(file.name)
        else:
            planned.append((file, table))
    if unmatched:
        patterns = "; ".join(f"{t.name}: {', '.join(t.files)}" for t in mapping.tables)
        raise MappingError(
            f"no table of the {mapping.department.value} mapping matches "
            f"{', '.join(unmatched)} (tables and their file patterns: {patterns})"
        )
    return planned


def load_path(
    path: Path,
    *,
    mapping: DepartmentMapping,
    store: GraphStore,
    quarantine_dir: Path,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> LoadReport:
    """Load one file or a department folder into the store."""
    source = mapping.department.value
    report = LoadReport(source=source)
    with _collector_skips_what_exists(), Quarantine(quarantine_dir, source) as quarantine:
        for file, table in plan_files(path, mapping):
            report.files.append(file)
            batch: list[CanonicalRecord] = []
            for record in _records(file, table, source, report, quarantine):
                batch.append(record)
                if len(batch) >= batch_size:
                    _flush(batch, store, report, progress)
            _flush(batch, store, report, progress)
        report.quarantined = quarantine.count
        report.quarantine_file = quarantine.path if quarantine.count else None
    return report


@dataclass(frozen=True)
class LoadJob:
    """One file or department folder to load, and the mapping that reads it."""

    path: Path
    mapping: DepartmentMapping


def load_paths(
    jobs: Sequence[LoadJob],
    *,
    open_store: Callable[[], GraphStore],
    quarantine_dir: Path,
    batch_size: int = 5000,
    workers: int = 1,
) -> list[LoadReport]:
    """Load several sources with `load_path`, `workers` of them at a time; one report per
    job, in the jobs' order.

    With `workers=1` the jobs run one after the other in this process, through one store.
    With more, each job runs in its own worker process with its own store from
    `open_store` (called in the worker, so it must be picklable, e.g. a
    `functools.partial`). That needs a store that takes concurrent writers: Neo4j does
    (appends serialise on its sequence lock); the embedded store is single-process. A
    bulk load on a server store is worth it: while one process's batch is being written
    by the server, another reads, maps and validates its next batch, so client and server
    work overlap on separate cores instead of taking turns (one Python process cannot do
    this with threads: the GIL makes the writer thread wait for the mapping thread at
    every network round trip). Workers are forked, so they start with the modules this
    process has imported (spawned ones imported the driver again, pandas with it: about a
    second of CPU each); each opens its own store, so no connection is shared. Forking is
    safe only in a process running no other thread but fork-safe ones
    (`graph.forking.can_fork`, the rule the resolver's children follow too), so in one
    that runs others they are spawned instead, which needs the usual
    `if __name__ == "__main__":` guard in a script calling this.

    Within a job rows are written in file order, as by `load_path`. Jobs in parallel may
    finish in any order, so no two may load the same source: which of two versions of a
    record came last would then be chance. If a job fails, jobs not started are
    cancelled, running ones finish, and the first failure is raised; what the finished
    batches wrote stays (a repeated load skips it as duplicates).
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if workers == 1 or len(jobs) <= 1:
        with open_store() as store:
            return [load_path(job.path, mapping=job.mapping, store=store,
                              quarantine_dir=quarantine_dir, batch_size=batch_size)
                    for job in jobs]
    sources = [job.mapping.department.value for job in jobs]
    repeated = sorted({s for s in sources if sources.count(s) > 1})
    if repeated:
        raise ValueError(
            f"parallel jobs must load different sources; {', '.join(repeated)} appears twice "
            "(load its paths one after the other, in order)"
        )
    for job in jobs:  # unreadable or unmatched files: stop before anything is written
        plan_files(job.path, job.mapping)
    open_store().close()  # schema and migrations once, here, not raced by the workers' opens
    # Largest first, so a big source does not start last and run alone.
    order = sorted(range(len(jobs)), key=lambda i: -_size_on_disk(jobs[i].path))
    context = multiprocessing.get_context("fork" if can_fork() else "spawn")
    futures: dict[int, Future[LoadReport]] = {}
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                             mp_context=context) as executor:
        for i in order:
            futures[i] = executor.submit(_load_job, jobs[i], open_store, quarantine_dir,
                                         batch_size)
        done, _ = wait(futures.values(), return_when=FIRST_EXCEPTION)
        failed = [f for f in done if f.exception() is not None]
        if failed:
            executor.shutdown(wait=True, cancel_futures=True)
            failed[0].result()  # raises the job's exception
        return [futures[i].result() for i in range(len(jobs))]


def _load_job(
    job: LoadJob, open_store: Callable[[], GraphStore], quarantine_dir: Path, batch_size: int,
) -> LoadReport:
    with open_store() as store:
        return load_path(job.path, mapping=job.mapping, store=store,
                         quarantine_dir=quarantine_dir, batch_size=batch_size)


@contextmanager
def _collector_skips_what_exists() -> Iterator[None]:
    """Objects that exist when a load starts are left out of garbage collections until it
    ends.

    A load allocates objects by the million, so the collector runs often, and each of its
    older-generation passes walked every object the process holds (modules, pydantic's
    validators, the driver, pandas): measured on 100k records in one process, 3.5 s of an
    8.2 s client, 0.7 s with them frozen. What the load itself leaves behind is still
    collected; what existed before is collected again once the load is over.

    Freezing is process-wide: where something has frozen objects already (the host
    process, or another load running in a thread) this leaves the collector as it is, so
    it never thaws objects it did not freeze.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _size_on_disk(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _records(
    file: Path, table: TableMapping, source: str, report: LoadReport, quarantine: Quarantine
) -> Iterator[CanonicalRecord]:
    observed_fallback = datetime.fromtimestamp(file.stat().st_mtime).replace(microsecond=0)
    mapper = RowMapper(table, source=source)
    for row in read_rows(file, encoding=table.encoding, sheet=table.sheet):
        report.read += 1
        try:
            yield mapper.map(row, observed_fallback=observed_fallback)
        except RowRejected as rejected:
            quarantine.add(QuarantineEntry(
                file=str(file), row=row.row, table=table.name,
                problems=tuple(rejected.problems), cells=row.cells,
            ))


def _flush(
    batch: list[CanonicalRecord], store: GraphStore, report: LoadReport,
    progress: Progress | None,
) -> None:
    if not batch:
        return
    outcomes = store.append_records(batch)
    if len(outcomes) != len(batch):
        raise StoreError(
            f"the store answered {len(outcomes)} outcomes for {len(batch)} records; "
            "the load stops rather than guess which were kept"
        )
    for outcome in outcomes:
        if outcome is AppendOutcome.ACCEPTED:
            report.accepted += 1
        elif outcome is AppendOutcome.NEW_VERSION:
            report.new_versions += 1
        elif outcome is AppendOutcome.DUPLICATE:
            report.duplicates += 1
    if progress is not None:
        progress(len(batch))
    batch.clear()
