"""Work split with forked children: shared results, failures named, same answers."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import numpy as np
import pytest

from graph.forking import fork_safe
from resolver import batch, blocking, comparisons, predict
from resolver import frame as frame_module
from resolver.arrays import IntArray
from resolver.blocking import candidate_pairs, rules_for
from resolver.comparisons import (
    Comparison,
    comparison_matrix,
    comparisons_for,
    level_matrix,
    levels_in_background,
    refresh_term_counts,
)
from resolver.fields import Field
from resolver.forked import (
    ForkedWorkerFailed,
    can_fork,
    in_background,
    in_child,
    run_split,
    shared_array,
)
from resolver.frame import Frame, build_frame
from resolver.predict import match_probabilities
from resolver.training import TrainingOptions, train

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="needs fork")


@pytest.fixture(autouse=True)
def _no_other_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    # Earlier test modules leave daemon threads behind (a TestClient's portal, a journal's
    # checkpointer), which would make can_fork() refuse, so these tests would not fork at
    # all in the whole suite; those threads hold nothing the children here take.
    monkeypatch.setattr(threading, "active_count", lambda: 1)

FIELDS = frozenset({Field.name, Field.id_number, Field.phone, Field.birth_date, Field.address,
                    Field.sex})
ROWS = [
    {"name": "张伟", "id_number": "330203198501011234", "phone": "13812345678",
     "address": "宁波市海曙区中山西路100号", "birth_date": "1985-01-01"},
    {"name": "張偉", "id_number": "330203********1234", "phone": "0574-87654321",
     "address": "海曙区中山西路100号", "sex": "男"},
    {"name": "王芳先生", "phone": "87654321", "address": "宁波市鄞州区天童南路8号"},
    {"name": "黄芳", "birth_date": "1990/3/4", "address": "鄞州区天童南路8号"},
    {"name": "李娜", "id_number": "330203199003041221", "phone": "13812345678"},
] * 8


def test_children_write_their_slices_into_shared_memory() -> None:
    out = shared_array((10,), np.int64)

    def work(start: int, stop: int) -> None:
        out[start:stop] = os.getpid()

    run_split(work, 10, workers=2)
    assert len(set(out.tolist())) == 2 and os.getpid() in out.tolist()


def test_a_failing_child_is_named() -> None:
    def work(start: int, stop: int) -> None:
        if start == 0:
            raise ValueError("boom")

    with pytest.raises(ForkedWorkerFailed):
        run_split(work, 10, workers=2)


def test_in_child_returns_the_result_or_names_the_failure() -> None:
    with in_child(lambda: [os.getpid(), "值"]) as result:
        assert result()[1] == "值"
        assert result() == result()  # asked twice: the same answer, received once

    def fail() -> int:
        raise ValueError("boom")

    with pytest.raises(ForkedWorkerFailed), in_child(fail) as failed:
        failed()


def test_a_child_whose_result_is_not_taken_is_ended() -> None:
    started = shared_array((1,), np.int64)

    def forever() -> None:
        started[0] = os.getpid()
        threading.Event().wait()

    with pytest.raises(RuntimeError, match="before the result"), in_child(forever):
        while not started[0]:
            time.sleep(0.01)
        raise RuntimeError("this process failed before the result was asked for")
    with pytest.raises(ProcessLookupError):
        os.kill(int(started[0]), 0)  # ended and reaped: no such process


def test_no_fork_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real thread count
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        with in_child(os.getpid) as result:  # runs here instead
            assert result() == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_a_fork_safe_thread_does_not_stop_forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real thread count
    stop = threading.Event()
    marked = fork_safe(threading.Thread(target=stop.wait))
    unmarked = threading.Thread(target=stop.wait)
    marked.start()
    unmarked.start()
    # Only these threads, whatever other test modules left running.
    here = threading.current_thread()
    monkeypatch.setattr(threading, "enumerate", lambda: [here, marked])
    try:
        assert can_fork()
        monkeypatch.setattr(threading, "enumerate", lambda: [here, marked, unmarked])
        assert not can_fork()
    finally:
        stop.set()
        marked.join()
        unmarked.join()


@pytest.mark.parametrize("busy_here", [0.0, 0.3])
def test_work_in_background_is_shared_and_complete(busy_here: float) -> None:
    out = shared_array((40,), np.int64)

    def work(start: int, stop: int) -> None:
        out[start:stop] = os.getpid()
        time.sleep(0.01)

    with in_background(work, 40, 8) as finish:
        time.sleep(busy_here)  # this process's own work first: the child takes more
        finish()
    assert (out != 0).all()
    if busy_here:
        assert (out != os.getpid()).any()  # the child worked while this process was busy


def test_a_failing_background_slice_is_named() -> None:
    def work(start: int, stop: int) -> None:
        if start == 0:
            raise ValueError("boom")

    with pytest.raises(ForkedWorkerFailed), in_background(work, 10, 5) as finish:
        time.sleep(0.1)
        finish()


def test_levels_in_background_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    frame, chosen, i, j = _every_pair()
    levels = level_matrix(frame, chosen, i, j, workers=1)
    monkeypatch.setattr(comparisons, "PARALLEL_FROM", 1)
    with levels_in_background(frame, chosen, i, j) as background:
        assert (background() == levels).all()


def _frame() -> Frame:
    n = len(ROWS)
    return build_frame("person", [str(k) for k in range(n)], [0] * n, ROWS, FIELDS, "574")


def test_a_frame_parsed_with_a_child_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _frame()
    monkeypatch.setattr(frame_module, "PARALLEL_FROM", 1)
    forked = _frame()
    assert serial.text.keys() == forked.text.keys()
    for column, values in serial.text.items():
        assert values.tolist() == forked.text[column].tolist(), column
        assert (serial.codes(column) == forked.codes(column)).all(), column
    for column, numbers in serial.numbers.items():
        assert (numbers == forked.numbers[column]).all(), column


ENTERPRISES = [
    {"company_name": "宁波博图置业有限公司", "credit_code": "913302264766051289"},
    {"company_name": "宁波市博图置业有限公司", "phone": "0574-62482545"},
    {"company_name": "长城汽车股份有限公司宁波分公司", "address": "宁波市宁海县兴宁中路1091号"},
    {"company_name": "NINGBO BOTU REAL ESTATE CO., LTD."},
    {"company_name": "博图"},
] * 3


def test_company_names_parsed_with_a_child_are_the_same(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    fields = frozenset({Field.company_name, Field.credit_code, Field.phone, Field.address})

    def build() -> Frame:
        n = len(ENTERPRISES)
        return build_frame("enterprise", [str(k) for k in range(n)], [0] * n, ENTERPRISES,
                           fields, "574")

    serial = build()
    monkeypatch.setattr(frame_module, "PARALLEL_FROM", 1)
    forked = build()
    assert serial.text.keys() == forked.text.keys()
    for column, values in serial.text.items():
        assert values.tolist() == forked.text[column].tolist(), column
        assert (serial.codes(column) == forked.codes(column)).all(), column
    assert serial.text["company_sound"][0] == "botuzhiye"


def _every_pair() -> tuple[Frame, list[Comparison], IntArray, IntArray]:
    """The test frame, its comparisons and every pair of its records."""
    frame = _frame()
    i, j = np.triu_indices(frame.n, k=1)
    return frame, comparisons_for(frame), i.astype(np.int64), j.astype(np.int64)


def test_split_comparisons_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    frame, chosen, i, j = _every_pair()
    levels, tf = comparison_matrix(frame, chosen, i, j, workers=1)
    monkeypatch.setattr(comparisons, "PARALLEL_FROM", 1)
    split_levels, split_tf = comparison_matrix(frame, chosen, i, j, workers=2)
    assert (levels == split_levels).all() and (tf == split_tf).all()
    assert (level_matrix(frame, chosen, i, j, workers=2) == levels).all()
    frame.count_terms(np.arange(frame.n) // 2)
    assert (refresh_term_counts(frame, chosen, levels, i, j, workers=1)
            == refresh_term_counts(frame, chosen, levels, i, j, workers=2)).all()


def test_scores_per_distinct_pair_of_values_are_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    frame, chosen, i, j = _every_pair()
    monkeypatch.setattr(comparisons, "_repeating", lambda keys, size: False)
    direct = comparison_matrix(frame, chosen, i, j, workers=1)
    monkeypatch.setattr(comparisons, "_repeating", lambda keys, size: True)
    deduplicated = comparison_matrix(frame, chosen, i, j, workers=1)
    assert (direct[0] == deduplicated[0]).all() and (direct[1] == deduplicated[1]).all()


def test_rules_split_with_a_child_find_the_same_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _frame()
    rules = rules_for(frame)
    serial = candidate_pairs(frame, rules, 3, 2, False)
    monkeypatch.setattr(blocking, "PARALLEL_FROM", 1)
    split = candidate_pairs(_frame(), rules, 3, 2, False)
    assert (serial.i == split.i).all() and (serial.j == split.j).all()
    assert serial.report == split.report
    assert serial.by_rule.keys() == split.by_rule.keys()
    assert all((serial.by_rule[r] == split.by_rule[r]).all() for r in serial.by_rule)


def test_split_scores_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    frame, chosen, i, j = _every_pair()
    levels, tf = comparison_matrix(frame, chosen, i, j, workers=1)
    model, _ = train(frame, chosen, levels, [(np.ones(i.size, dtype=bool), frozenset())],
                     False, TrainingOptions())
    serial = match_probabilities(model, levels, tf, frame.n, workers=1)
    monkeypatch.setattr(predict, "PARALLEL_FROM", 1)
    split = match_probabilities(model, levels, tf, frame.n)
    assert (serial == split).all()


def test_training_overlapped_with_children_gives_the_same_resolution(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Random pairs' levels in the background and u measured again in a child: the same
    # model and entities as all in this process.
    def resolve() -> batch.KindResult:
        frame = _frame()
        return batch.resolve_frame(frame, np.arange(frame.n), False, batch.ResolveOptions())

    serial = resolve()
    monkeypatch.setattr(comparisons, "PARALLEL_FROM", 1)
    monkeypatch.setattr(batch, "REMEASURE_IN_CHILD_FROM", 1)
    overlapped = resolve()
    assert (serial.clusters.labels == overlapped.clusters.labels).all()
    assert serial.model.to_json() == overlapped.model.to_json()
