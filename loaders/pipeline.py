"""A load: files → rows → canonical records → store, with quarantine and reconciliation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from graph.errors import InputFileError, MappingError, StoreError
from graph.records import CanonicalRecord
from graph.store import AppendOutcome, GraphStore
from loaders.mapper import RowRejected, map_row
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
    with Quarantine(quarantine_dir, source) as quarantine:
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


def _records(
    file: Path, table: TableMapping, source: str, report: LoadReport, quarantine: Quarantine
) -> Iterator[CanonicalRecord]:
    observed_fallback = datetime.fromtimestamp(file.stat().st_mtime).replace(microsecond=0)
    for row in read_rows(file, encoding=table.encoding, sheet=table.sheet):
        report.read += 1
        try:
            yield map_row(table, row, source=source, observed_fallback=observed_fallback)
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
