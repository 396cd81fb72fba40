"""What a generation run produced, counted as it goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

Progress = Callable[[int], None]
_PROGRESS_BATCH = 1000


@dataclass(frozen=True)
class GenerationSummary:
    """Counts per department and record kind, the planted bad rows, and the files written."""

    out_dir: Path
    seed: int
    people: int
    enterprises: int
    reference_date: date
    records: dict[str, dict[str, int]]  # department -> kind -> rows
    bad_rows: dict[str, int]  # department -> rows planted to fail validation
    scenarios: tuple[str, ...]
    files: tuple[Path, ...]

    @property
    def total_records(self) -> int:
        return sum(sum(kinds.values()) for kinds in self.records.values())

    @property
    def records_per_person(self) -> float:
        return self.total_records / self.people


@dataclass
class Tally:
    """Running counts; reports progress in batches so a progress bar is cheap to drive."""

    progress: Progress | None = None
    records: dict[str, dict[str, int]] = field(default_factory=dict)
    bad_rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    _pending: int = 0

    def count(self, department: str, kind: str, *, bad: bool) -> None:
        kinds = self.records.setdefault(department, {})
        kinds[kind] = kinds.get(kind, 0) + 1
        if bad:
            self.bad_rows[department] = self.bad_rows.get(department, 0) + 1
        self._pending += 1
        if self._pending >= _PROGRESS_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.progress is not None and self._pending:
            self.progress(self._pending)
        self._pending = 0
