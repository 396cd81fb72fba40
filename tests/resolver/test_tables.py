import subprocess
import sys
from pathlib import Path

import pytest

import resolver.tables as tables
from graph.errors import InputFileError
from resolver.fields import Field
from resolver.tables import ColumnMapping, InputTable, read_inputs

MAPPING = ColumnMapping("id", {Field.name: "姓名", Field.phone: "电话"})

CSV = ('\ufeff id ,姓名,电话,其他\r\n'
       'r1, 王伟 ,13800000000,x\r\n'
       'r2,"李\n娜", ,y\r\n'
       '\r\n'
       'r3,王伟,"138,0000",z\r\n'
       'r4,,13800000000 ,\r\n')


def _read(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch,
          extra: tuple[str, ...] = ()) -> InputTable:
    monkeypatch.setattr(tables, "FAST_READ_FROM", 0 if fast else 1 << 40)
    return read_inputs([path], MAPPING, extra)


def _cells(table: InputTable) -> dict[str, list[str | None]]:
    return {name: column.cells() for name, column in {**table.columns, **table.extra}.items()}


def test_large_files_read_with_pyarrow_give_the_same_columns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="utf-8")
    fast = _read(path, True, monkeypatch, ("其他",))
    assert tables._fast_read(path, ["id", "姓名"]) is not None  # not the line-by-line reader
    slow = _read(path, False, monkeypatch, ("其他",))
    assert fast.record_ids == slow.record_ids == ["r1", "r2", "r3", "r4"]
    assert _cells(fast) == _cells(slow) == {
        "name": ["王伟", "李\n娜", "王伟", None],
        "phone": ["13800000000", None, "138,0000", "13800000000"],
        "其他": ["x", "y", "z", None]}
    for name, column in fast.columns.items():
        assert column.codes.tolist() == slow.columns[name].codes.tolist()



def test_pyarrow_read_does_not_import_pandas(tmp_path: Path) -> None:
    # A fresh interpreter: the suite's process may have imported pandas for other tests.
    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="utf-8")
    program = ("import sys\n"
               "import resolver.tables as tables\n"
               "tables.FAST_READ_FROM = 0\n"
               f"assert tables._fast_read(tables.Path({str(path)!r}), ['id', '姓名']) "
               "is not None\n"
               "print('pandas' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"

@pytest.mark.parametrize(("text", "message"), [
    ("id,姓名,电话\nr1,a,1\nr2,b\n", "row 3: row has 2 cells"),
    ("id,姓名,电话\nr1,a,1\n ,b,2\n", r"row 3: column 'id' \(the record id\) is empty"),
    ("id,姓名,电话\nr1,a,1\nr1,b,2\n", "row 3: record id 'r1' already used at"),
])
def test_what_pyarrow_does_not_take_is_reported_by_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        _read(path, True, monkeypatch)


def test_another_encoding_is_read_line_by_line(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes("id,姓名,电话\nr1,王伟,1\n".encode("gb18030"))
    assert _cells(_read(path, True, monkeypatch))["name"] == ["王伟"]


def test_a_record_id_repeated_across_inputs_names_the_first_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("id,姓名,电话\nr1,a,1\n", encoding="utf-8")
    b.write_text("id,姓名,电话\nr2,b,2\nr1,c,3\n", encoding="utf-8")
    monkeypatch.setattr(tables, "FAST_READ_FROM", 0)
    with pytest.raises(InputFileError, match=r"b.csv, row 3: record id 'r1' already used at "
                                             r".*a.csv, row 2"):
        read_inputs([a, b], MAPPING)
    a.write_text("id,姓名,电话\nr0,a,1\n", encoding="utf-8")
    table = read_inputs([a, b], MAPPING)
    assert table.sources == [0, 1, 1]
    assert table.columns["name"].cells() == ["a", "b", "c"]
