from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.embedded_store import EmbeddedStore
from graph.errors import InputFileError, MappingError
from loaders.mapping import DepartmentMapping, load_mapping
from loaders.pipeline import load_path

MAPPING = {
    "department": "labour",
    "tables": [
        {
            "name": "cases",
            "files": ["仲裁案件*.csv"],
            "kind": "case",
            "constants": {"channel": "labour_arbitration"},
            "fields": {
                "source_id": "案号",
                "observed_at": "导出时间",
                "filed_on": "受理日期",
                "category": {"column": "案由", "values": {"拖欠工资": "wage_arrears",
                                                          "劳动合同": "labour"}},
                "state": {"column": "状态", "values": {"已立案": "filed", "已裁决": "award"}},
                "amount_claimed": "金额",
            },
            "parties": [
                {"role": "applicant", "kind": "person",
                 "fields": {"name": "申请人", "id_number": "申请人身份证号"}},
                {"role": "respondent", "kind": "enterprise", "optional": True,
                 "fields": {"name": "被申请单位", "credit_code": "信用代码"}},
            ],
        },
        {
            "name": "petitions",
            "files": ["*.jsonl"],
            "kind": "case",
            "constants": {"channel": "petition", "category": "wage_arrears", "state": "registered"},
            "fields": {"source_id": "编号", "filed_on": "登记日期"},
            "party_list": {
                "column": "当事人",
                "role": {"column": "角色",
                         "values": {"信访人": "applicant", "被反映人": "respondent"}},
                "kind": {"column": "类型", "values": {"个人": "person", "单位": "enterprise"}},
                "fields": {"name": "名称", "id_number": "证件号"},
            },
        },
    ],
}

HEADER = "案号,导出时间,受理日期,案由,状态,金额,申请人,申请人身份证号,被申请单位,信用代码\n"
GOOD = [
    "L-1,2026-11-01 08:00:00,2026年10月3日,拖欠工资,已立案,\"12,000\",张伟,330203198503151234,"
    "宁波某某电器有限公司,91330203MA2H0K1P1Y",
    "L-2,2026-11-01 08:00:00,2026/10/4,劳动合同,已裁决,,王芳,330203********1234,,",
]
BAD = [
    # ID number with a letter in the middle
    "L-3,2026-11-01 08:00:00,2026-10-05,拖欠工资,已立案,,李娜,3302031985A3151234,,",
    # impossible date
    "L-4,2026-11-01 08:00:00,2026-02-30,拖欠工资,已立案,,李娜,,,",
    # category label the mapping does not know
    "L-5,2026-11-01 08:00:00,2026-10-05,工伤,已立案,,李娜,,,",
    # no applicant name
    "L-6,2026-11-01 08:00:00,2026-10-05,拖欠工资,已立案,,,,,",
]


@pytest.fixture
def mapping(tmp_path: Path) -> DepartmentMapping:
    path = tmp_path / "labour.yaml"
    path.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    return load_mapping(path)


def write_export(folder: Path, rows: list[str], encoding: str = "gb18030") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "仲裁案件-2026-11.csv"
    path.write_bytes((HEADER + "\n".join(rows) + "\n").encode(encoding))
    return path


def test_good_rows_load_and_bad_rows_are_quarantined_with_reasons(
    tmp_path: Path, mapping: DepartmentMapping
) -> None:
    export = write_export(tmp_path / "in", GOOD + BAD)
    with EmbeddedStore(tmp_path / "store") as store:
        report = load_path(export, mapping=mapping, store=store, quarantine_dir=tmp_path / "q")
        stored = store.get_record("labour", "L-1")
    assert (report.read, report.loaded, report.quarantined) == (6, 2, 4)
    assert report.reconciled
    assert stored is not None and stored.record.kind == "case"
    assert str(stored.record.amount_claimed) == "12000.00"
    assert report.quarantine_file is not None
    entries = [json.loads(line) for line in report.quarantine_file.read_text("utf-8").splitlines()]
    by_row = {e["row"]: e for e in entries}
    assert set(by_row) == {4, 5, 6, 7}
    assert by_row[4]["field"] == "parties[0].id_number"
    assert by_row[4]["column"] == "申请人身份证号"
    assert "not an ID number" in by_row[4]["reason"]
    assert (by_row[5]["field"], by_row[5]["column"]) == ("filed_on", "受理日期")
    assert (by_row[6]["field"], by_row[6]["column"]) == ("category", "案由")
    assert "'工伤' is not in the mapping" in by_row[6]["reason"]
    assert by_row[7]["field"] == "parties[0].name"
    assert all(e["file"] == str(export) for e in entries)
    assert by_row[6]["cells"]["案由"] == "工伤"


def test_loading_the_same_file_twice_creates_no_duplicates(
    tmp_path: Path, mapping: DepartmentMapping
) -> None:
    export = write_export(tmp_path / "in", GOOD)
    with EmbeddedStore(tmp_path / "store") as store:
        first = load_path(export, mapping=mapping, store=store, quarantine_dir=tmp_path / "q")
        second = load_path(export, mapping=mapping, store=store, quarantine_dir=tmp_path / "q")
        counts = store.counts()
    assert (first.loaded, first.duplicates) == (2, 0)
    assert (second.loaded, second.duplicates) == (0, 2)
    assert second.reconciled
    assert counts.records == 2 and counts.record_versions == 2


def test_a_changed_row_is_stored_as_a_new_version(
    tmp_path: Path, mapping: DepartmentMapping
) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        load_path(write_export(tmp_path / "a", GOOD), mapping=mapping, store=store,
                  quarantine_dir=tmp_path / "q")
        changed = [GOOD[0], GOOD[1].replace("已裁决", "已立案")]
        report = load_path(write_export(tmp_path / "b", changed), mapping=mapping, store=store,
                           quarantine_dir=tmp_path / "q")
        assert len(store.record_history("labour", "L-2")) == 2
    assert (report.accepted, report.new_versions, report.duplicates) == (0, 1, 1)


def test_party_lists_from_jsonl(tmp_path: Path, mapping: DepartmentMapping) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [
        {"编号": "XF-1", "登记日期": "20261101", "当事人": [
            {"角色": "信访人", "类型": "个人", "名称": "赵磊", "证件号": "330203850315123"},
            {"角色": "被反映人", "类型": "单位", "名称": "宁波某某电器有限公司"}]},
        {"编号": "XF-2", "登记日期": "20261101", "当事人": [
            {"角色": "旁听", "类型": "个人", "名称": "钱芳"}]},
    ]
    (folder / "petitions.jsonl").write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        report = load_path(folder, mapping=mapping, store=store, quarantine_dir=tmp_path / "q")
        stored = store.get_record("labour", "XF-1")
    assert (report.loaded, report.quarantined) == (1, 1)
    assert stored is not None
    parties = stored.record.parties  # type: ignore[union-attr]
    assert [(p.role, p.kind) for p in parties] == [("applicant", "person"),
                                                               ("respondent", "enterprise")]
    assert report.quarantine_file is not None
    entry = json.loads(report.quarantine_file.read_text("utf-8"))
    assert entry["field"] == "parties[0].role" and entry["column"] == "角色"


def test_a_file_no_table_matches_stops_the_load_before_anything_is_written(
    tmp_path: Path, mapping: DepartmentMapping
) -> None:
    folder = tmp_path / "in"
    write_export(folder, GOOD)
    (folder / "unknown.csv").write_text("a\n1\n", encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        with pytest.raises(MappingError, match=r"matches unknown\.csv"):
            load_path(folder, mapping=mapping, store=store, quarantine_dir=tmp_path / "q")
        assert store.counts().records == 0


def test_invalid_mapping_file_names_the_key(tmp_path: Path) -> None:
    tables: list[dict[str, object]] = MAPPING["tables"]  # type: ignore[assignment]
    broken = MAPPING | {"tables": [tables[0] | {"kind": "pet"}]}
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MappingError, match=r"m\.yaml is invalid: tables\.0\.kind"):
        load_mapping(path)


def test_respondent_with_only_a_credit_code_is_not_silently_dropped(
    tmp_path: Path, mapping: DepartmentMapping
) -> None:
    row = ("L-9,2026-11-01 08:00:00,2026-10-05,拖欠工资,已立案,,李娜,,,"
           "91330203MA2H0K1P1Y")
    export = write_export(tmp_path / "in", [row])
    with EmbeddedStore(tmp_path / "store") as store:
        report = load_path(export, mapping=mapping, store=store, quarantine_dir=tmp_path / "q")
    assert (report.loaded, report.quarantined) == (0, 1)
    assert report.quarantine_file is not None
    entry = json.loads(report.quarantine_file.read_text("utf-8"))
    assert entry["field"] == "parties[1].name"


def test_numeric_id_cells_that_lost_digits_are_quarantined(
    tmp_path: Path, mapping: DepartmentMapping
) -> None:
    from loaders.mapper import RowRejected, map_row
    from loaders.readers import SourceRow

    cells = dict(zip(HEADER.strip().split(","), GOOD[1].split(","), strict=True))
    cells["申请人身份证号"] = 330203198503151234.0  # type: ignore[assignment]
    row = SourceRow(tmp_path / "x.xlsx", 2, cells)
    with pytest.raises(RowRejected, match="has lost digits"):
        map_row(mapping.tables[0], row, source="labour",
                observed_fallback=datetime(2026, 11, 1))


def test_a_mapping_cannot_set_the_source_from_a_cell(tmp_path: Path) -> None:
    table: dict[str, Any] = MAPPING["tables"][0]  # type: ignore[assignment]
    bad = MAPPING | {"tables": [table | {"fields": table["fields"] | {"source": "来源"}}]}
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MappingError, match="source cannot be mapped"):
        load_mapping(path)


def test_unreadable_files_in_a_folder_stop_the_load(
    tmp_path: Path, mapping: DepartmentMapping
) -> None:
    folder = tmp_path / "in"
    write_export(folder, GOOD)
    (folder / "旧案件.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with EmbeddedStore(tmp_path / "store") as store:
        with pytest.raises(InputFileError, match=r"cannot read \(旧案件\.xls\)"):
            load_path(folder, mapping=mapping, store=store, quarantine_dir=tmp_path / "q")
        assert store.counts().records == 0


def test_quarantine_file_is_private(tmp_path: Path, mapping: DepartmentMapping) -> None:
    export = write_export(tmp_path / "in", BAD)
    with EmbeddedStore(tmp_path / "store") as store:
        report = load_path(export, mapping=mapping, store=store, quarantine_dir=tmp_path / "q")
    assert report.quarantine_file is not None
    assert report.quarantine_file.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "q").stat().st_mode & 0o777 == 0o700
