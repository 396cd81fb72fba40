"""`wutong alerts` and `wutong alert ack|close|show` on what `wutong demo` loaded."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.audit import AuditLog
from api.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WUTONG_DATA_DIR", str(data))
        result = runner.invoke(app, ["demo", "--no-serve", "--people", "300", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "alerts evaluated" in result.output
    return data


@pytest.fixture
def data_dir(demo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WUTONG_DATA_DIR", str(demo))
    monkeypatch.setenv("WUTONG_ANALYTICS_AS_OF", "2026-11-01")
    return demo


def _json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_alerts_json_has_one_object_per_line_with_rule_level_entities_cases_reason(
        data_dir: Path) -> None:
    result = runner.invoke(app, ["alerts", "--json", "--limit", "1000"])
    assert result.exit_code == 0, result.output
    alerts = _json_lines(result.output)
    assert {"R1", "R4", "R7", "R13", "cluster_growth"} <= {a["rule"] for a in alerts}
    for alert in alerts:
        assert alert["level"] in ("red", "orange", "yellow")
        assert alert["entities"] and alert["cases"] and alert["reason"]
    red = _json_lines(runner.invoke(app, ["alerts", "--json", "--level", "red"]).output)
    assert red and all(a["level"] == "red" for a in red)


def test_recompute_raises_nothing_new_and_the_table_explains(data_dir: Path) -> None:
    result = runner.invoke(app, ["alerts", "--recompute", "--rule", "R1"])
    assert result.exit_code == 0, result.output
    assert "0 raised" in result.output
    assert "workers brought" in result.output


def test_acknowledge_then_close_with_a_note(data_dir: Path) -> None:
    [r7] = _json_lines(runner.invoke(app, ["alerts", "--json", "--rule", "R7",
                                           "--state", "new", "--limit", "1"]).output)
    alert_id = str(r7["id"])
    acked = runner.invoke(app, ["alert", "ack", alert_id, "--by", "王科长"])
    assert acked.exit_code == 0 and "acknowledged by 王科长" in acked.output
    closed = runner.invoke(app, ["alert", "close", alert_id, "--by", "王科长",
                                 "--note", "双方已达成和解"])
    assert closed.exit_code == 0, closed.output
    [shown] = _json_lines(runner.invoke(app, ["alert", "show", alert_id, "--json"]).output)
    assert (shown["state"], shown["closed_by"], shown["note"]) == ("closed", "王科长",
                                                                  "双方已达成和解")
    again = runner.invoke(app, ["alert", "close", alert_id, "--note", "x"])
    assert again.exit_code != 0 and "closed already" in str(again.exception)
    audit = AuditLog(data_dir / "api" / "audit.sqlite3")
    try:
        entries = [e for e in reversed(audit.entries(1000)) if e.target == alert_id]
    finally:
        audit.close()
    login = f"cli:{getpass.getuser()}"
    assert [(e.action, e.detail["phase"]) for e in entries] == [
        ("acknowledge_alert", "intent"), ("acknowledge_alert", "done"),
        ("close_alert", "intent"), ("close_alert", "done"),
        ("close_alert", "intent"), ("close_alert", "failed")]
    assert {(e.key_id, e.role) for e in entries} == {(login, "cli")}
    assert entries[2].detail == {"by": "王科长", "note": "双方已达成和解", "phase": "intent"}
    assert entries[4].detail["by"] == getpass.getuser()  # --by defaults to the login
    missing = runner.invoke(app, ["alert", "show", "A-R1-000000000000"])
    assert missing.exit_code != 0 and "no alert" in str(missing.exception)
