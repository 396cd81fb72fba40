"""Which match models record-by-record resolution starts with."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from graph.entities import EntityKind
from resolver.model import MatchModel, probability
from resolver.model_checks import match_weight, problems
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


def _probability(model: MatchModel, levels: dict[str, str]) -> float:
    return float(probability(np.asarray([match_weight(model, levels)]))[0])


def test_the_shipped_models_are_plausible() -> None:
    # What benchmarks/train_default_models.py checks before it writes them: levels in the
    # order their definitions give, and the decisions the domain gives
    # (resolver/model_checks.py).
    for kind in EntityKind:
        assert problems(MatchModel.load(DEFAULT_MODELS / f"{kind.value}.json")) == []


def test_the_shipped_enterprise_model_weighs_the_credit_code_against_the_name() -> None:
    # The credit code is the enterprise anchor, but a branch has its own code and a code
    # can be written on the wrong party: one shared code with two clearly different names
    # and nothing else stays below the link threshold. The branch written by its parent's
    # name with the branch's code (domain-china.md §4.2) links; the parent's name against
    # the branch's alone does not. The legal form is a comparison of the shipped model.
    model = MatchModel.load(DEFAULT_MODELS / "enterprise.json")
    link = 0.8
    assert "legal_form" in [c.name for c in model.comparisons]
    assert _probability(model, {"credit_code": "exact", "company_name": "else"}) < link
    assert _probability(model, {"credit_code": "exact",
                                "company_name": "a parent and its branch"}) >= link
    assert _probability(model, {"company_name": "a parent and its branch"}) < link
    assert _probability(model, {"credit_code": "exact", "company_name": "exact"}) >= link
    forms = next(c for c in model.comparisons if c.name == "legal_form").weights()
    assert forms[0] >= forms[1] > forms[2]


def test_an_implausible_model_is_told(tmp_path: Path) -> None:
    # The weights EM learnt on the 2,000-person demo: "a parent and its branch" +16.7
    # bits, a name "else" only -9.5, the prior about -7.1.
    data = json.loads((DEFAULT_MODELS / "enterprise.json").read_text("utf-8"))
    data["prior"] = 0.007
    for c in data["comparisons"]:
        if c["name"] == "company_name":
            k, other = c["labels"].index("a parent and its branch"), c["labels"].index("else")
            c["u"][k], c["m"][k] = 1e-6, 2**16.7 * 1e-6
            c["m"][other] = 2**-9.5 * c["u"][other]
        if c["name"] == "credit_code":
            c["m"][0], c["u"][0] = 0.9997, 5.5e-7
    model = MatchModel.from_json(data)
    found = problems(model)
    assert any("two clearly different names" in p for p in found)
    assert any("a parent's name and its branch's" in p for p in found)
