"""Files as departments export them: CSV in their encodings, XLSX, JSONL.

Each sink returns where a row went (file name and the row number a person would see: the
header is row 1 of a CSV or sheet, JSONL counts lines from 1), which ground truth records.
XLSX is made byte-reproducible: openpyxl stamps the save time into docProps/core.xml and
every zip entry, so both are pinned here.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Protocol

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from loaders.generator.clock import EXPORT_TIME

_ZIP_TIME = (EXPORT_TIME.year, EXPORT_TIME.month, EXPORT_TIME.day, 8, 0, 0)


class RowSink(Protocol):
    def put(self, cells: Mapping[str, Any]) -> tuple[str, int]: ...

    def close(self) -> list[Path]: ...


class _CsvFile:
    def __init__(self, path: Path, header: Sequence[str], encoding: str, newline: str) -> None:
        self.path = path
        self.handle: IO[str] = path.open("w", encoding=encoding, newline="")
        self.writer = csv.writer(self.handle, lineterminator=newline)
        self.writer.writerow(header)
        self.rows = 1


class CsvSink:
    """One table's CSV files; `file_for` picks the file a row belongs in (e.g. by year)."""

    def __init__(self, folder: Path, header: Sequence[str], *, encoding: str,
                 file_for: Callable[[Mapping[str, Any]], str], newline: str = "\r\n") -> None:
        self.folder = folder
        self.header = tuple(header)
        self.encoding = encoding
        self.file_for = file_for
        self.newline = newline
        self.files: dict[str, _CsvFile] = {}

    def put(self, cells: Mapping[str, Any]) -> tuple[str, int]:
        name = self.file_for(cells)
        target = self.files.get(name)
        if target is None:
            target = _CsvFile(self.folder / name, self.header, self.encoding, self.newline)
            self.files[name] = target
        target.writer.writerow(["" if cells.get(c) is None else cells[c] for c in self.header])
        target.rows += 1
        return name, target.rows

    def close(self) -> list[Path]:
        for target in self.files.values():
            target.handle.close()
        return sorted(t.path for t in self.files.values())


class JsonlSink:
    """One table's JSON Lines files, UTF-8, one object per line."""

    def __init__(self, folder: Path, *, file_for: Callable[[Mapping[str, Any]], str]) -> None:
        self.folder = folder
        self.file_for = file_for
        self.files: dict[str, tuple[IO[str], list[int]]] = {}

    def put(self, cells: Mapping[str, Any]) -> tuple[str, int]:
        name = self.file_for(cells)
        if name not in self.files:
            self.files[name] = ((self.folder / name).open("w", encoding="utf-8", newline="\n"),
                                [0])
        handle, count = self.files[name]
        # Keys starting with '_' steer the writer (which file) and are not part of the export.
        record = {k: v for k, v in cells.items() if not k.startswith("_")}
        handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        count[0] += 1
        return name, count[0]

    def close(self) -> list[Path]:
        for handle, _ in self.files.values():
            handle.close()
        return sorted(self.folder / name for name in self.files)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one timestamp, so equal content gives equal bytes."""

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: Any,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        # openpyxl adds write-only worksheets from temp files, stamped with their mtime.
        with open(filename, "rb") as handle:
            self.writestr(str(arcname or filename), handle.read())


class XlsxSink:
    """One table's workbooks (write-only mode), split every `rows_per_file` rows.

    Files are named `<stem>_01.xlsx`, `<stem>_02.xlsx`, ...: a large department export
    arrives in parts, and it keeps each workbook quick to open.
    """

    def __init__(self, folder: Path, stem: str, sheet: str, header: Sequence[str],
                 rows_per_file: int = 40_000) -> None:
        self.folder = folder
        self.stem = stem
        self.sheet = sheet
        self.header = tuple(header)
        self.rows_per_file = rows_per_file
        self.paths: list[Path] = []
        self.workbook: Workbook | None = None
        self.worksheet: Any = None
        self.rows = 0

    def put(self, cells: Mapping[str, Any]) -> tuple[str, int]:
        if self.workbook is None or self.rows > self.rows_per_file:
            self._finish()
            self.workbook = Workbook(write_only=True)
            self.worksheet = self.workbook.create_sheet(self.sheet)
            self.worksheet.append(list(self.header))
            self.paths.append(self.folder / f"{self.stem}_{len(self.paths) + 1:02d}.xlsx")
            self.rows = 1
        self.worksheet.append([cells.get(c) for c in self.header])
        self.rows += 1
        return self.paths[-1].name, self.rows

    def _finish(self) -> None:
        if self.workbook is None:
            return
        moment = datetime(EXPORT_TIME.year, EXPORT_TIME.month, EXPORT_TIME.day, 8, 0, 0)
        self.workbook.properties.created = moment
        self.workbook.properties.modified = moment
        self.workbook.properties.creator = "wutong-generator"
        archive = _FixedTimeZip(self.paths[-1], "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        # Not Workbook.save: save_workbook overwrites `modified` with the current time.
        ExcelWriter(self.workbook, archive).save()
        self.workbook = None

    def close(self) -> list[Path]:
        self._finish()
        return list(self.paths)
