"""`wutong load`: one department's files, or every department folder under a folder, into
the configured store (several departments at once, in their own processes, on Neo4j)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from api.settings import Settings
from api.stores import open_store
from graph.errors import LoadNotReconciled, MappingError
from graph.store import GraphStore
from graph.vocabulary import Department
from loaders.mapping import load_mapping, shipped_mapping
from loaders.pipeline import LoadJob, LoadReport, load_path, load_paths

console = Console()


def load(
    path: Annotated[Path, typer.Argument(
        help="A department's export file or folder; without --source, a folder of department "
        "folders named by code (as `wutong generate` writes them)")],
    source: Annotated[Department | None, typer.Option(
        help="Department code the records come from")] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="Mapping file; default the one shipped for --source")
    ] = None,
) -> None:
    """Validate and load department files; bad rows go to quarantine."""
    settings = Settings()
    jobs = [_job(path, source, mapping)] if source is not None else department_jobs(path, mapping)
    with open_store(settings) as store:
        reports = load_jobs(settings, store, jobs)
    unreconciled = [r for r in reports if not r.reconciled]
    if unreconciled:
        raise LoadNotReconciled("; ".join(r.reconciliation_line() for r in unreconciled))


def _job(path: Path, source: Department, mapping: Path | None) -> LoadJob:
    department_mapping = load_mapping(mapping) if mapping else shipped_mapping(source)
    if department_mapping.department is not source:
        raise MappingError(
            f"mapping {mapping} is for department {department_mapping.department.value}, "
            f"not --source {source.value}"
        )
    return LoadJob(path, department_mapping)


def department_jobs(root: Path, mapping: Path | None = None) -> list[LoadJob]:
    """One job per sub-folder of `root` named by a department code, with its shipped
    mapping. Files directly under `root` (a generated data set's ground truth) are not
    records and are left alone, and said so; a sub-folder that is no department's code
    stops the load before anything is written, rather than be skipped unread."""
    if mapping is not None:
        raise MappingError("--mapping is for one department: give --source with it")
    if not root.is_dir():
        raise MappingError(f"{root} is not a folder of department folders; give --source to "
                           "load one department's file")
    codes = {d.value: d for d in Department}
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    unknown = [p.name for p in folders if p.name not in codes]
    if unknown:
        raise MappingError(
            f"{root} holds folders that are no department's code ({', '.join(unknown[:5])}); "
            f"department folders are named {', '.join(codes)}. Load others with --source"
        )
    if not folders:
        raise MappingError(f"{root} holds no department folders; give --source to load it "
                           "as one department's files")
    skipped = sorted(p.name for p in root.iterdir() if not p.is_dir())
    if skipped:
        console.print(f"not loaded (files beside the department folders): {', '.join(skipped)}")
    return [LoadJob(p, shipped_mapping(codes[p.name])) for p in folders]


def load_jobs(settings: Settings, store: GraphStore, jobs: list[LoadJob]) -> list[LoadReport]:
    """Load every job and print its reconciliation line.

    On Neo4j, `settings.load_workers` departments load at once, each in its own process
    with its own connection (`loaders.pipeline.load_paths`): while the server writes one
    process's batch, another maps and validates its next one. One department, or the
    embedded store (single-process), loads in this process through `store`, with a
    progress bar.
    """
    workers = min(settings.load_workers, len(jobs)) if settings.store == "neo4j" else 1
    if workers <= 1:
        return [_load_with_progress(settings, store, job) for job in jobs]
    # A line, not a spinner: a spinner's thread would make `load_paths` spawn its workers
    # (each importing everything again) instead of forking them.
    console.print(f"loading {len(jobs)} departments, {workers} at a time")
    reports = load_paths(
        jobs, open_store=partial(open_store, settings), quarantine_dir=settings.quarantine_dir,
        batch_size=settings.load_batch_size, workers=workers,
    )
    for report in reports:
        _print_report(report)
    return reports


def _load_with_progress(settings: Settings, store: GraphStore, job: LoadJob) -> LoadReport:
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=console, transient=True,
    )
    with progress:
        task = progress.add_task(f"loading {job.mapping.department.value}", total=None)
        report = load_path(
            job.path, mapping=job.mapping, store=store,
            quarantine_dir=settings.quarantine_dir, batch_size=settings.load_batch_size,
            progress=lambda n: progress.advance(task, n),
        )
    _print_report(report)
    return report


def _print_report(report: LoadReport) -> None:
    console.print(report.reconciliation_line())
    if report.quarantine_file is not None:
        console.print(f"  quarantined rows and reasons: {report.quarantine_file}")
