from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from graph.errors import InputFileError
from loaders.readers import detect_encoding, read_rows

HEADER = "姓名,身份证号,联系电话\n"
ROWS = "张伟,330203198503151234,13812345678\n阿依古丽·买买提,,0574-87654321\n"


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")],
)
def test_csv_encodings_are_detected_and_read(tmp_path: Path, encoding: str, detected: str) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + ROWS).encode(encoding))
    assert detect_encoding(path) == detected
    rows = list(read_rows(path))
    assert [r.row for r in rows] == [2, 3]
    assert rows[0].cells == {"姓名": "张伟", "身份证号": "330203198503151234",
                             "联系电话": "13812345678"}
    assert rows[1].cells["姓名"] == "阿依古丽·买买提"


def test_wrong_explicit_encoding_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + ROWS).encode("gb18030"))
    with pytest.raises(InputFileError, match=r"people\.csv: not valid utf-8"):
        list(read_rows(path, encoding="utf-8"))


@pytest.mark.parametrize(("line", "cells"), [("张伟,1,2,3", 4), ("张伟,1", 2)])
def test_csv_row_with_the_wrong_number_of_cells_is_a_row_error(
    tmp_path: Path, line: str, cells: int
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(HEADER + line + "\n", encoding="utf-8")
    (row,) = list(read_rows(path))
    assert row.error is not None and f"{cells} cells" in row.error


def test_jsonl_bad_line_is_a_row_error_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "petitions.jsonl"
    path.write_text('{"姓名": "王芳"}\n{"姓名": \n\n["not", "object"]\n{"姓名": "李娜"}\n',
                    encoding="utf-8")
    rows = list(read_rows(path))
    assert [(r.row, r.error is None) for r in rows] == [(1, True), (2, False), (4, False),
                                                        (5, True)]
    assert rows[3].cells == {"姓名": "李娜"}


def test_xlsx_rows_keep_dates_and_numbers(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["案号", "受理日期", "请求金额"])
    sheet.append(["A-1", datetime(2026, 3, 5), 12800.5])
    sheet.append([None, None, None])
    sheet.append(["A-2", "2026年3月6日", "3000"])
    path = tmp_path / "cases.xlsx"
    workbook.save(path)
    rows = list(read_rows(path))
    assert [r.row for r in rows] == [2, 4]
    assert rows[0].cells["案号"] == "A-1"
    assert str(rows[0].cells["受理日期"])[:10] == "2026-03-05"
    assert rows[0].cells["请求金额"] == 12800.5


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputFileError, match=r"cannot read \.xls"):
        read_rows(path)


def test_gb18030_after_a_long_ascii_start_is_still_detected(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    ascii_rows = "".join(f"row{i},,\n" for i in range(120_000))  # well past 1 MiB
    path.write_bytes((HEADER + ascii_rows + ROWS).encode("gb18030"))
    assert detect_encoding(path) == "gb18030"
    assert list(read_rows(path))[-1].cells["姓名"] == "阿依古丽·买买提"


@pytest.mark.parametrize(("header", "message"), [("姓名,电话,电话\n", "电话 more than once"),
                                                  ("姓名,,电话\n", "blank column name")])
def test_headers_that_would_lose_cells_are_refused(
    tmp_path: Path, header: str, message: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(header + "张伟,1,2\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        list(read_rows(path))


def test_workbook_with_several_sheets_needs_a_sheet_name(tmp_path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "案件"
    first.append(["案号"])
    first.append(["A-1"])
    second = workbook.create_sheet("补录")
    second.append(["案号"])
    second.append(["A-2"])
    path = tmp_path / "cases.xlsx"
    workbook.save(path)
    with pytest.raises(InputFileError, match="has sheets 案件, 补录"):
        list(read_rows(path))
    assert [r.cells["案号"] for r in read_rows(path, sheet="补录")] == ["A-2"]
    with pytest.raises(InputFileError, match="no sheet '其他'"):
        list(read_rows(path, sheet="其他"))
