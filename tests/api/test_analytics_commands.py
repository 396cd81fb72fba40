from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("analytics") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WUTONG_DATA_DIR", str(data))
        result = runner.invoke(app, ["demo", "--no-serve", "--people", "150", "--seed", "5"])
    assert result.exit_code == 0, result.output
    return data


@pytest.fixture
def env(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WUTONG_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("WUTONG_ANALYTICS_AS_OF", "2026-11-01")
    return demo_dir


def lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_clusters_json_has_one_object_per_cluster_ranked_by_risk(env: Path) -> None:
    result = runner.invoke(app, ["clusters", "--top", "3", "--json"])
    assert result.exit_code == 0, result.output
    rows = lines(result.output)
    assert len(rows) == 3
    scores = [float(r["score"]) for r in rows]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True)
    first = rows[0]
    assert str(first["cluster"]).startswith("C-") and first["as_of"] == "2026-11-01"
    for entity in first["entities"]:  # type: ignore[attr-defined]
        identifier = entity["identifier"]
        # ID numbers and individual businesses' codes masked; companies' codes public.
        if str(entity["entity"]).startswith("P") or str(identifier).startswith("92"):
            assert identifier is None or "*" in identifier
        else:
            assert identifier is None or "*" not in identifier


def test_risk_explains_and_masks_and_json_adds_up(env: Path) -> None:
    top = lines(runner.invoke(app, ["clusters", "--top", "1", "--json"]).output)[0]
    entity = str(top["entities"][0]["entity"])  # type: ignore[index]
    text = runner.invoke(app, ["risk", entity])
    assert text.exit_code == 0, text.output
    assert "by factor" in text.output and "facts behind the score" in text.output
    data = lines(runner.invoke(app, ["risk", entity, "--json", "--as-of", "2026-10-01"]).output)
    assert len(data) == 1 and data[0]["as_of"] == "2026-10-01"
    contributions: list[dict[str, float]] = data[0]["contributions"]  # type: ignore[assignment]
    total = sum(c["points"] for c in contributions)
    assert total == pytest.approx(float(data[0]["score"]))  # type: ignore[arg-type]
    missing = runner.invoke(app, ["risk", "P99999999"])
    assert missing.exit_code != 0 and "no entity" in str(missing.exception)
    bad_day = runner.invoke(app, ["risk", entity, "--as-of", "yesterday"])
    assert bad_day.exit_code != 0


def test_departments_lists_every_department_with_cases(env: Path) -> None:
    rows = lines(runner.invoke(app, ["departments", "--json"]).output)
    departments = {r["department"] for r in rows}
    assert {"labour", "court", "mediation"} <= departments
    assert all(int(r["closed"]) <= int(r["received"]) for r in rows)  # type: ignore[call-overload]
    text = runner.invoke(app, ["departments"])
    assert text.exit_code == 0 and "department performance on 2026-11-01" in text.output
