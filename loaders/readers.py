"""Readers for department exports: CSV (UTF-8, UTF-8 with BOM, GB18030), JSONL and XLSX.

Each reader yields `SourceRow`s: the row's number as a person would find it in the file
(the header is row 1 of a CSV or sheet; JSONL counts lines from 1) and its cells by column.
A row that cannot even be parsed (broken JSON) is yielded with `error` set, so the load
quarantines it instead of stopping.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from graph.errors import InputFileError

SUPPORTED_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".xlsx")
_SNIFF_BYTES = 1 << 20


@dataclass(frozen=True)
class SourceRow:
    file: Path
    row: int
    cells: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def read_rows(
    path: Path, *, encoding: str = "auto", sheet: str | None = None
) -> Iterator[SourceRow]:
    """Rows of one export file, dispatched on its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, encoding)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path)
    if suffix == ".xlsx":
        return _read_xlsx(path, sheet)
    raise InputFileError(
        f"{path}: cannot read {suffix or 'files without a suffix'}; "
        f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
    )


def detect_encoding(path: Path) -> str:
    """utf-8-sig for a BOM, utf-8 when the whole file decodes as UTF-8, otherwise gb18030.

    Real GB18030 text almost never decodes as UTF-8, while a UTF-8 file decodes as
    (wrong) GB18030 text, so UTF-8 is tried first. The whole file is checked, not its
    start: an export whose first megabytes are ASCII must not fail half-way through a
    load, after some of its rows were committed.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        chunk = handle.read(_SNIFF_BYTES)
        if chunk.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = handle.read(_SNIFF_BYTES)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _header(path: Path, names: list[Any]) -> list[str]:
    """Column names, refusing the blank or repeated ones that would lose cells."""
    columns = [str(name).strip() for name in names]
    if any(not name for name in columns):
        raise InputFileError(
            f"{path}: the header row has a blank column name (position "
            f"{columns.index('') + 1}); the first row must name every column"
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise InputFileError(
            f"{path}: the header names {', '.join(repeated)} more than once; rename them so "
            "no column hides another"
        )
    return columns


def _read_csv(path: Path, encoding: str) -> Iterator[SourceRow]:
    codec = detect_encoding(path) if encoding == "auto" else encoding
    try:
        with path.open(encoding=codec, newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return
            columns = _header(path, header)
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                # A short row is usually a line cut off by an export; padding it with
                # empty cells would load a record that silently lacks fields.
                if len(values) != len(columns):
                    yield SourceRow(path, number, error=(
                        f"row has {len(values)} cells but the header has {len(columns)} columns"
                    ))
                    continue
                yield SourceRow(path, number, dict(zip(columns, values, strict=False)))
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{path}: not valid {codec} text ({exc.reason} at byte {exc.start}); "
            "set `encoding:` in the mapping file to the file's real encoding"
        ) from exc
    except LookupError as exc:
        raise InputFileError(f"{path}: unknown encoding {codec!r}") from exc


def _read_jsonl(path: Path) -> Iterator[SourceRow]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield SourceRow(path, number, error=f"line is not valid JSON: {exc}")
                continue
            if not isinstance(value, dict):
                yield SourceRow(path, number, error="line is JSON but not an object")
                continue
            yield SourceRow(path, number, value)


def _read_xlsx(path: Path, sheet: str | None) -> Iterator[SourceRow]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own untyped errors for broken files
        raise InputFileError(f"{path}: cannot open as XLSX ({exc})") from exc
    names = list(workbook.sheet_names)
    if sheet is None and len(names) > 1:
        raise InputFileError(
            f"{path} has sheets {', '.join(names)}; name the one to read with `sheet:` in the "
            "mapping (a table per sheet), so no sheet is skipped unread"
        )
    if sheet is not None and sheet not in names:
        raise InputFileError(f"{path} has no sheet {sheet!r} (it has {', '.join(names)})")
    data = workbook.get_sheet_by_name(sheet) if sheet else workbook.get_sheet_by_index(0)
    rows = data.iter_rows()
    header = next(rows, None)
    if header is None:
        return
    columns = _header(path, header)
    for number, values in enumerate(rows, start=2):
        if all(v in ("", None) for v in values):
            continue
        yield SourceRow(path, number, dict(zip(columns, values, strict=False)))
