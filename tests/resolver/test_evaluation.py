"""Scoring against ground truth: small hand-made clusterings with known answers."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping

import pytest

from resolver.evaluation import (
    breakdown_by,
    cluster_scores,
    namesake_false_merges,
    namesake_pairs,
    pairwise_scores,
)

# Truth: A = {1, 2, 3}, B = {4, 5}, C = {6}.
TRUTH = {"1": "A", "2": "A", "3": "A", "4": "B", "5": "B", "6": "C"}


def _brute_pairs(pred: Mapping[str, str], truth: Mapping[str, str]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(truth), 2):
        same_pred, same_true = pred[a] == pred[b], truth[a] == truth[b]
        tp += same_pred and same_true
        fp += same_pred and not same_true
        fn += same_true and not same_pred
    return tp, fp, fn


def test_perfect_prediction_scores_one_with_any_cluster_labels() -> None:
    pred = {r: f"x{e}" for r, e in TRUTH.items()}
    scores = pairwise_scores(pred, TRUTH)
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)
    assert (scores.tp, scores.fp, scores.fn) == (4, 0, 0)
    clusters = cluster_scores(pred, TRUTH)
    assert clusters.bcubed_f1 == 1.0
    assert clusters.exact_clusters == clusters.true_clusters == 3
    assert clusters.exact_ratio == 1.0


def test_one_wrong_merge_and_one_missed_link() -> None:
    # 3 split off from A; B and C merged.
    pred = {"1": "p", "2": "p", "3": "q", "4": "r", "5": "r", "6": "r"}
    scores = pairwise_scores(pred, TRUTH)
    assert (scores.tp, scores.fp, scores.fn) == (2, 2, 2)
    assert scores.precision == pytest.approx(0.5)
    assert scores.recall == pytest.approx(0.5)
    assert scores.f1 == pytest.approx(0.5)
    clusters = cluster_scores(pred, TRUTH)
    # Precision per record: 1,1 (p), 1 (q), 2/3,2/3,1/3 (r) -> 14/3 / 6.
    assert clusters.bcubed_precision == pytest.approx((14 / 3) / 6)
    # Recall per record: 2/3,2/3 (1,2), 1/3 (3), 1,1 (B), 1 (C) -> 14/3 / 6.
    assert clusters.bcubed_recall == pytest.approx((14 / 3) / 6)
    assert clusters.exact_clusters == 0
    assert clusters.predicted_clusters == 3


def test_singletons_only() -> None:
    pred = {r: r for r in TRUTH}
    scores = pairwise_scores(pred, TRUTH)
    assert (scores.tp, scores.fp, scores.fn) == (0, 0, 4)
    assert scores.precision == 1.0  # no predicted pair, so no wrong one
    assert scores.recall == 0.0
    assert scores.f1 == 0.0
    clusters = cluster_scores(pred, TRUTH)
    assert clusters.bcubed_precision == 1.0
    assert clusters.bcubed_recall == pytest.approx((1 / 3 * 3 + 1 / 2 * 2 + 1) / 6)
    assert clusters.exact_clusters == 1  # C is a singleton in both


def test_all_in_one() -> None:
    pred = dict.fromkeys(TRUTH, "all")
    scores = pairwise_scores(pred, TRUTH)
    assert (scores.tp, scores.fp, scores.fn) == (4, 11, 0)
    assert scores.precision == pytest.approx(4 / 15)
    assert scores.recall == 1.0
    clusters = cluster_scores(pred, TRUTH)
    assert clusters.bcubed_recall == 1.0
    assert clusters.bcubed_precision == pytest.approx((3 * 3 / 6 + 2 * 2 / 6 + 1 / 6) / 6)
    assert clusters.exact_clusters == 0


def test_empty_input_is_vacuously_perfect() -> None:
    scores = pairwise_scores({}, {})
    assert (scores.precision, scores.recall, scores.f1, scores.tp) == (1.0, 1.0, 1.0, 0)
    clusters = cluster_scores({}, {})
    assert clusters.bcubed_f1 == 1.0
    assert clusters.true_clusters == 0
    assert clusters.exact_ratio == 1.0
    assert breakdown_by({}, {}, {}) == {}
    assert namesake_false_merges({}, {}, {}) == 0


def test_mismatched_records_are_refused() -> None:
    with pytest.raises(ValueError, match="1 records of the truth have no prediction"):
        pairwise_scores({"1": "a"}, {"1": "A", "2": "A"})
    with pytest.raises(ValueError, match="1 predicted records are not in the truth"):
        pairwise_scores({"1": "a", "9": "a"}, {"1": "A", "2": "A"})


def test_counts_agree_with_brute_force_on_random_clusterings() -> None:
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randrange(0, 30)
        truth = {str(i): f"T{rng.randrange(max(1, n // 3))}" for i in range(n)}
        pred = {str(i): f"P{rng.randrange(max(1, n // 2))}" for i in range(n)}
        scores = pairwise_scores(pred, truth)
        assert (scores.tp, scores.fp, scores.fn) == _brute_pairs(pred, truth)


def test_breakdown_counts_pairs_touching_a_tag() -> None:
    # 3 split off from A; B and C merged. Record 3 is noisy; record 6 is an enterprise.
    pred = {"1": "p", "2": "p", "3": "q", "4": "r", "5": "r", "6": "r"}
    noise = {"1": [], "2": ["typo"], "3": ["typo", "masked_id"], "5": "typo"}
    by_noise = breakdown_by(noise, pred, TRUTH)
    assert set(by_noise) == {"typo", "masked_id"}
    typo = by_noise["typo"]
    # True pairs touching 2, 3 or 5: (1,2) (1,3) (2,3) (4,5); found: (1,2) and (4,5).
    assert (typo.records, typo.true_pairs, typo.tp) == (3, 4, 2)
    assert typo.recall == pytest.approx(0.5)
    # Predicted pairs touching them: (1,2) (4,5) (5,6).
    assert typo.predicted_pairs == 3
    masked = by_noise["masked_id"]
    assert (masked.true_pairs, masked.tp, masked.recall) == (2, 0, 0.0)
    assert masked.predicted_pairs == 0
    assert masked.precision == 1.0

    kinds = {r: ("enterprise" if r == "6" else "person") for r in TRUTH}
    by_kind = breakdown_by(kinds, pred, TRUTH)
    assert by_kind["enterprise"].predicted_pairs == 2  # (4,6) (5,6)
    assert by_kind["enterprise"].precision == 0.0
    assert by_kind["person"].predicted_pairs == 4
    assert by_kind["person"].precision == pytest.approx(2 / 4)


def test_breakdown_agrees_with_brute_force() -> None:
    rng = random.Random(5)
    for _ in range(100):
        n = rng.randrange(1, 25)
        truth = {str(i): f"T{rng.randrange(max(1, n // 3))}" for i in range(n)}
        pred = {str(i): f"P{rng.randrange(max(1, n // 2))}" for i in range(n)}
        groups = {str(i): [t for t in "xy" if rng.random() < 0.3] for i in range(n)}
        result = breakdown_by(groups, pred, truth)
        for tag, scores in result.items():
            true_pairs = predicted = tp = 0
            for a, b in itertools.combinations(truth, 2):
                if tag not in groups[a] and tag not in groups[b]:
                    continue
                same_pred, same_true = pred[a] == pred[b], truth[a] == truth[b]
                true_pairs += same_true
                predicted += same_pred
                tp += same_pred and same_true
            assert (scores.true_pairs, scores.predicted_pairs, scores.tp) == (
                true_pairs, predicted, tp)


def test_namesake_false_merges() -> None:
    # Two different 张伟 (A, B) and a 李娜 (C).
    truth = {"1": "A", "2": "A", "3": "B", "4": "C"}
    names = {"A": "张伟", "B": "张伟", "C": "李娜"}
    assert namesake_pairs(truth, names) == 2  # (1,3) (2,3)
    assert namesake_false_merges({"1": "x", "2": "x", "3": "y", "4": "z"}, truth, names) == 0
    # 3 merged into A: two namesake pairs; the 李娜 merge is wrong but not a namesake one.
    merged = {"1": "x", "2": "x", "3": "x", "4": "x"}
    assert namesake_false_merges(merged, truth, names) == 2
    assert pairwise_scores(merged, truth).fp == 5
    # Only record 2 joins B.
    assert namesake_false_merges({"1": "x", "2": "y", "3": "y", "4": "z"}, truth, names) == 1
    # Entities without a known name are nobody's namesake.
    assert namesake_false_merges(merged, truth, {}) == 0
