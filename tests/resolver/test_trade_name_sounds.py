"""Trade names' pinyin from the child started with the process: the same as without it."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from resolver import trade_name_sounds
from resolver.forked import in_child
from tests.launched import modules_after_resolve

NAMES = ["博图", "德泰", "长城", "ABC", "重庆", "银行"]


@pytest.fixture
def worker() -> Iterator[None]:
    trade_name_sounds.start()
    try:
        yield
    finally:
        trade_name_sounds.stop()


def test_the_child_answers_as_this_process_would(worker: None) -> None:
    assert trade_name_sounds.syllables(NAMES) == trade_name_sounds._syllables(NAMES)
    assert trade_name_sounds.syllables(NAMES)[:2] == [("bo", "tu"), ("de", "tai")]
    assert trade_name_sounds.syllables(["ABC"]) == [()]
    assert trade_name_sounds.syllables([]) == []


def test_a_forked_child_of_this_process_works_alone(worker: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # It must not talk over this process's requests on the shared pipe. (Threads other
    # test modules left behind would keep in_child from forking: see test_forked.)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    with in_child(lambda: (trade_name_sounds.syllables(NAMES), "pypinyin" in sys.modules)
                  ) as result:
        assert trade_name_sounds.syllables(NAMES[:1]) == [("bo", "tu")]
        answer, imported = result()
    assert answer == trade_name_sounds._syllables(NAMES) and imported


def test_a_gone_child_is_replaced_by_this_process(worker: None) -> None:
    assert trade_name_sounds._worker is not None
    os.kill(trade_name_sounds._worker.pid, 9)
    assert trade_name_sounds.syllables(NAMES[:2]) == [("bo", "tu"), ("de", "tai")]
    assert trade_name_sounds._worker is None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_resolving_enterprises_leaves_pypinyin_to_the_child(tmp_path: Path) -> None:
    source = tmp_path / "firms.csv"
    source.write_text("id,名称\n1,宁波博图置业有限公司\n2,宁波市博图置业有限公司\n3,德泰商行\n",
                      encoding="utf-8")
    out = tmp_path / "o.csv"
    args = [str(source), "--id-column", "id", "--map", "company_name=名称", "--out", str(out)]
    assert modules_after_resolve(args, {"pypinyin"}) == set()
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
