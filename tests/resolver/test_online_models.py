"""Which match models record-by-record resolution starts with."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from graph.entities import EntityKind
from resolver.model import MatchModel
from resolver.online import DEFAULT_MODELS, load_models


def _without_level(source: Path, target: Path, comparison: str, label: str) -> None:
    """A copy of a model as an earlier version, which lacked one level, saved it."""
    data = json.loads(source.read_text("utf-8"))
    for c in data["comparisons"]:
        if c["name"] == comparison:
            k = c["labels"].index(label)
            for key in ("labels", "m", "u"):
                del c[key][k]
    target.write_text(json.dumps(data), "utf-8")


def test_a_saved_model_of_this_version_is_used(tmp_path: Path) -> None:
    saved = MatchModel.load(DEFAULT_MODELS / "enterprise.json")
    data = json.loads((DEFAULT_MODELS / "enterprise.json").read_text("utf-8"))
    data["prior"] = saved.prior / 2
    (tmp_path / "enterprise.json").write_text(json.dumps(data), "utf-8")
    assert load_models(tmp_path)[EntityKind.ENTERPRISE].prior == pytest.approx(saved.prior / 2)


def test_a_model_saved_by_an_earlier_version_gives_way_to_the_shipped_one(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _without_level(DEFAULT_MODELS / "enterprise.json", tmp_path / "enterprise.json",
                   "company_name", "a parent and its branch")
    with caplog.at_level(logging.WARNING):
        models = load_models(tmp_path)
    shipped = MatchModel.load(DEFAULT_MODELS / "enterprise.json")
    assert models[EntityKind.ENTERPRISE].version == shipped.version
    assert "run `wutong resolve` to retrain" in caplog.text
