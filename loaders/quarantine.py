"""The quarantine file: every row a load could not accept, with where it was and why."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from loaders.mapper import RowProblem


@dataclass(frozen=True)
class QuarantineEntry:
    file: str
    row: int
    table: str | None
    problems: tuple[RowProblem, ...]
    cells: dict[str, Any]

    def to_json(self) -> str:
        first = self.problems[0]
        return json.dumps(
            {
                "file": self.file,
                "row": self.row,
                "table": self.table,
                "field": first.field,
                "column": first.column,
                "reason": first.reason,
                "problems": [
                    {"field": p.field, "column": p.column, "reason": p.reason}
                    for p in self.problems
                ],
                "cells": self.cells,
            },
            ensure_ascii=False,
            default=str,
        )


class Quarantine:
    """Appends entries to `<dir>/<source>-<UTC timestamp>.jsonl`, created on first use."""

    def __init__(self, directory: Path, source: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.path = directory / f"{source}-{stamp}.jsonl"
        self._handle: IO[str] | None = None
        self.count = 0

    def add(self, entry: QuarantineEntry) -> None:
        if self._handle is None:
            # Quarantined rows keep ID numbers and phones: readable by the owner only.
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._handle = open(descriptor, "a", encoding="utf-8")  # noqa: SIM115
        self._handle.write(entry.to_json() + "\n")
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.flush()
            self._handle.close()
            self._handle = None

    def __enter__(self) -> Quarantine:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
