from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app, main
from api.settings import Settings
from graph.neo4j_store import Neo4jStore
from loaders.pipeline import LoadReport

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WUTONG_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_demo_generates_loads_and_reports_counts(data_dir: Path) -> None:
    result = runner.invoke(app, ["demo", "--no-serve", "--people", "120", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "reconciled" in result.output
    assert "DOES NOT RECONCILE" not in result.output
    assert "alerts evaluated" in result.output
    assert (data_dir / "demo-data" / "ground_truth.jsonl").is_file()
    assert (data_dir / "embedded" / "journal.sqlite3").is_file()
    again = runner.invoke(app, ["demo", "--no-serve", "--people", "120", "--seed", "3"])
    assert again.exit_code == 0, again.output
    assert "loaded 0 records" in again.output


def test_status_after_load_counts_records(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    assert runner.invoke(app, ["generate", "--out", str(out), "--people", "60"]).exit_code == 0
    loaded = runner.invoke(app, ["load", str(out / "labour"), "--source", "labour"])
    assert loaded.exit_code == 0, loaded.output
    assert "labour: read" in loaded.output
    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0
    assert "records from labour" in status.output


def test_generate_refuses_a_non_empty_folder_unless_told(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    refused = runner.invoke(app, ["generate", "--out", str(out), "--people", "30",
                                  "--overwrite"])
    assert refused.exit_code != 0
    assert "did not write (keep.txt)" in str(refused.exception)
    assert (out / "keep.txt").is_file()
    (out / "keep.txt").unlink()
    assert runner.invoke(app, ["generate", "--out", str(out), "--people", "30"]).exit_code == 0
    again = runner.invoke(app, ["generate", "--out", str(out), "--people", "30"])
    assert again.exit_code != 0 and "pass --overwrite" in str(again.exception)
    replaced = runner.invoke(app, ["generate", "--out", str(out), "--people", "30",
                                   "--overwrite"])
    assert replaced.exit_code == 0
    assert (out / "ground_truth.jsonl").is_file()


def test_load_refuses_a_mapping_for_another_department(data_dir: Path, tmp_path: Path) -> None:
    mapping = Path(__file__).parents[2] / "loaders" / "mappings" / "court.yaml"
    result = runner.invoke(
        app, ["load", str(tmp_path), "--source", "labour", "--mapping", str(mapping)]
    )
    assert result.exit_code != 0
    assert "is for department court" in str(result.exception)


def test_schema_command_writes_the_json_schema(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    result = runner.invoke(app, ["schema", "--out", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text("utf-8"))["discriminator"]["propertyName"] == "kind"


def test_main_prints_one_line_errors_with_exit_status_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.argv", ["wutong", "load", str(tmp_path / "nope"), "--source",
                                     "court"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_load_that_does_not_reconcile_exits_3(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    assert runner.invoke(app, ["generate", "--out", str(out), "--people", "40"]).exit_code == 0

    def losing(self: LoadReport) -> bool:
        return False

    monkeypatch.setattr(LoadReport, "reconciled", property(losing))
    monkeypatch.setattr("sys.argv", ["wutong", "load", str(out / "labour"), "--source",
                                     "labour"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 3


def test_load_of_a_folder_loads_every_department_folder(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    assert runner.invoke(app, ["generate", "--out", str(out), "--people", "40"]).exit_code == 0
    loaded = runner.invoke(app, ["load", str(out)])
    assert loaded.exit_code == 0, loaded.output
    departments = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert [line.split(":")[0] for line in loaded.output.splitlines()
            if ": read " in line] == departments
    assert "not loaded (files beside the department folders): entities.jsonl, " \
        "ground_truth.jsonl, scenarios.json" in " ".join(loaded.output.split())
    status = runner.invoke(app, ["status"])
    assert all(f"records from {d}" in status.output for d in departments)


def test_load_of_a_folder_refuses_folders_that_are_no_department(
    data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "exports" / "labour").mkdir(parents=True)
    (tmp_path / "exports" / "labor").mkdir()
    result = runner.invoke(app, ["load", str(tmp_path / "exports")])
    assert result.exit_code != 0
    assert "no department's code (labor)" in str(result.exception)
    mapping = Path(__file__).parents[2] / "loaders" / "mappings" / "labour.yaml"
    with_mapping = runner.invoke(app, ["load", str(tmp_path / "exports"), "--mapping",
                                       str(mapping)])
    assert "give --source with it" in str(with_mapping.exception)


@pytest.mark.neo4j
def test_load_of_a_folder_into_neo4j_loads_departments_in_parallel(
    neo4j_store: Neo4jStore, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    out = tmp_path / "exports"
    assert runner.invoke(app, ["generate", "--out", str(out), "--people", "40"]).exit_code == 0
    # The test server's password lives in its data dir; quarantine files go to tmp_path.
    monkeypatch.setenv("WUTONG_NEO4J_URI", neo4j_settings.neo4j_uri)
    monkeypatch.setenv("WUTONG_NEO4J_PASSWORD", neo4j_settings.neo4j_password_value())
    monkeypatch.setenv("WUTONG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WUTONG_STORE", "neo4j")
    monkeypatch.setenv("WUTONG_LOAD_WORKERS", "2")
    loaded = runner.invoke(app, ["load", str(out)])
    assert loaded.exit_code == 0, loaded.output
    text = " ".join(loaded.output.split())
    departments = {p.name for p in out.iterdir() if p.is_dir()}
    assert text.count(": reconciled") == len(departments) and "DOES NOT RECONCILE" not in text
    counts = neo4j_store.counts()
    assert set(counts.records_by_source) == departments
