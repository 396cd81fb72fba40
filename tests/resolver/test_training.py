from typing import NoReturn

import numpy as np

from resolver.comparisons import Comparison
from resolver.model import ComparisonModel, MatchModel
from resolver.training import (
    TrainingOptions,
    compress,
    estimate_m,
    expectation_maximisation,
    level_frequencies,
    monotone,
)


def _simulate(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Two comparisons with 3 levels; matches mostly agree, non-matches mostly do not."""
    m = [np.asarray([0.85, 0.1, 0.05]), np.asarray([0.7, 0.2, 0.1])]
    u = [np.asarray([0.01, 0.09, 0.9]), np.asarray([0.05, 0.15, 0.8])]
    is_match = rng.random(n) < share
    levels = np.empty((n, 2), dtype=np.int8)
    for c in range(2):
        levels[is_match, c] = rng.choice(3, size=int(is_match.sum()), p=m[c])
        levels[~is_match, c] = rng.choice(3, size=int((~is_match).sum()), p=u[c])
    return levels


def test_em_recovers_m_and_the_share_of_matches_with_u_fixed() -> None:
    rng = np.random.default_rng(1)
    levels = _simulate(rng, 200_000, 0.2)
    u = [np.asarray([0.01, 0.09, 0.9]), np.asarray([0.05, 0.15, 0.8])]
    m, prior, iterations = expectation_maximisation(levels, u, [3, 3], TrainingOptions())
    assert abs(prior - 0.2) < 0.02
    assert np.allclose(m[0], [0.85, 0.1, 0.05], atol=0.03)
    assert np.allclose(m[1], [0.7, 0.2, 0.1], atol=0.03)
    assert iterations < TrainingOptions().max_iterations


def test_reviewer_decisions_override_the_estimate() -> None:
    # 100 pairs disagree on both fields; EM alone calls them non-matches, but a reviewer
    # said 60 of them are matches.
    levels = np.full((100, 2), 2, dtype=np.int8)
    u = [np.asarray([0.01, 0.09, 0.9])] * 2
    undecided, _, _ = expectation_maximisation(levels, u, [3, 3], TrainingOptions())
    decided = dict.fromkeys(range(60), True)
    m, prior, _ = expectation_maximisation(levels, u, [3, 3], TrainingOptions(), decided)
    assert prior >= 0.6
    assert m[0][2] > 0.8 > undecided[0][2]


def test_null_levels_do_not_count_and_unseen_levels_stay_finite() -> None:
    levels = np.asarray([[0], [-1], [0]], dtype=np.int8)
    freq = level_frequencies(levels, [3])[0]
    assert freq.sum() == np.float64(1.0) or abs(freq.sum() - 1) < 1e-9
    assert (freq > 0).all() and freq[0] > 0.8


def test_model_round_trips_through_json_and_versions_change_with_content() -> None:
    model = MatchModel("person", 0.1, [ComparisonModel("name", ("exact", "else"),
                                                       np.asarray([0.9, 0.1]),
                                                       np.asarray([0.01, 0.99]), 0)])
    again = MatchModel.from_json(model.to_json())
    assert again.version == model.version
    assert np.allclose(again.comparisons[0].weights(), model.comparisons[0].weights())
    again.prior = 0.2
    assert again.version != model.version


def test_grouped_levels_are_shares_within_their_group() -> None:
    # Levels 0-1 are pairs at the same address, 2-3 the others: m and u of a phone
    # conditioned on the address are probabilities within each group.
    from resolver.training import initial_m

    layout = (0, 0, 1, 1)
    levels = np.asarray([[0]] * 30 + [[1]] * 70 + [[2]] * 1 + [[3]] * 899, dtype=np.int8)
    u = level_frequencies(levels, [layout])[0]
    assert abs(u[0] + u[1] - 1) < 1e-9 and abs(u[2] + u[3] - 1) < 1e-9
    assert 0.29 < u[0] < 0.31 and u[2] < 0.01
    start = initial_m(layout)
    assert abs(start[0] + start[1] - 1) < 1e-9 and start[0] > start[1]


def test_sharing_a_number_at_the_same_address_weighs_less_than_elsewhere() -> None:
    # Among non-matches a shared number is common at the same address (a household) and
    # rare elsewhere; each level's weight is the conditional Bayes factor, and no level
    # weighs less than the disagreement of its own group.
    phone = ComparisonModel(
        "phone", ("shared number at the same address", "another number at the same address",
                  "shared number", "else"),
        np.asarray([0.8, 0.2, 0.7, 0.3]), np.asarray([0.3, 0.7, 1e-5, 1 - 1e-5]), 0,
        groups=(0, 0, 1, 1))
    weights = phone.weights()
    assert 0 < weights[0] < 2 < 15 < weights[2]
    assert weights[1] < 0 and weights[3] < 0
    again = MatchModel.from_json(MatchModel("person", 0.1, [phone]).to_json())
    assert again.comparisons[0].groups == (0, 0, 1, 1)
    assert again.comparisons[0].tf_levels == (0, 2)


def test_further_term_frequency_levels_have_their_own_reference() -> None:
    from resolver.predict import explain, term_frequency_references

    name = ComparisonModel("company_name", ("exact", "same without region", "else"),
                           np.asarray([0.6, 0.3, 0.1]), np.asarray([1e-5, 1e-4, 0.9999]), 0,
                           tf_also=(1,))
    model = MatchModel("enterprise", 0.01, [name])
    levels = np.asarray([[0], [0], [1], [1]], dtype=np.int8)
    tf = np.asarray([[1], [1], [10], [30]], dtype=np.int64)
    term_frequency_references(model, levels, tf, 100)
    assert name.tf_reference == 0.01 and abs(name.tf_also_references[1] - 0.2) < 1e-12
    common = explain(model, levels[3], tf[3], 100).contributions[0]
    assert common.frequency_adjustment < 0  # 30 holders against a typical 20
    again = MatchModel.from_json(model.to_json()).comparisons[0]
    assert again.tf_also == (1,) and again.tf_also_references == {1: name.tf_also_references[1]}


def test_explanations_of_many_pairs_add_up_to_their_match_weights() -> None:
    from resolver.predict import explain_rows, match_weights, term_frequency_references

    name = ComparisonModel("name", ("exact", "close", "else"), np.asarray([0.7, 0.2, 0.1]),
                           np.asarray([0.01, 0.09, 0.9]), 0)
    phone = ComparisonModel("phone", ("exact", "else"), np.asarray([0.9, 0.1]),
                            np.asarray([0.05, 0.95]))
    model = MatchModel("person", 0.05, [name, phone])
    levels = np.asarray([[0, 0], [0, -1], [-1, 1], [2, 0], [0, 1]], dtype=np.int8)
    tf = np.asarray([[3, 0], [40, 0], [0, 0], [0, 0], [1, 0]], dtype=np.int64)
    term_frequency_references(model, levels, tf, 100)
    explained = explain_rows(model, levels, tf, 100)
    assert np.allclose([e.match_weight for e in explained], match_weights(model, levels, tf, 100))
    assert explained[1].contributions[1].level == "missing"
    assert explained[1].contributions[0].frequency_adjustment < 0  # 40 holders: common


def _unused(frame: object, i: object, j: object) -> NoReturn:
    raise AssertionError("levels are given, not computed")


def test_a_session_with_one_comparison_learns_m_from_its_weakest_level() -> None:
    # Pairs blocked on the name (the name sits out), so only the birth date is learnt:
    # 10% matches, the rest namesakes. Any share of matches fits these shares equally
    # well; EM from its usual start had settled on a third of matches with another birth
    # date, which links namesakes.
    rng = np.random.default_rng(3)
    n, share = 50_000, 0.1
    m_true, u_true = np.asarray([0.8, 0.19, 0.01]), np.asarray([0.001, 0.02, 0.979])
    is_match = rng.random(n) < share
    levels = np.zeros((n, 2), dtype=np.int8)
    levels[is_match, 1] = rng.choice(3, size=int(is_match.sum()), p=m_true)
    levels[~is_match, 1] = rng.choice(3, size=int((~is_match).sum()), p=u_true)
    labels = ("exact", "one part differs", "else")
    comparisons = [Comparison("name", labels, _unused), Comparison("birth_date", labels, _unused)]
    sessions = [(np.ones(n, dtype=bool), frozenset({"name"}))]
    u = [np.asarray([0.01, 0.02, 0.97]), u_true]
    m, _ = estimate_m(levels, compress(levels), u, comparisons, sessions, TrainingOptions())
    assert np.allclose(m[1], m_true, atol=0.03)
    assert m[1][2] < 0.02  # matches hardly ever have unrelated birth dates


def test_levels_ordered_by_definition_keep_their_order() -> None:
    # Random pairs never showed a date known to the month only (u at the floor), so EM's
    # weight for "same year and month" said only how often matches were written so, and
    # came out above "exact", which agrees on more. Pooled, both get one weight; m still
    # sums as before and the other levels are untouched.
    labels = ("exact", "day and month swapped", "one part differs", "same year and month",
              "same year", "else")
    m = np.asarray([0.3, 0.001, 0.6, 0.01, 0.04, 0.049])
    u = np.asarray([5e-5, 1e-5, 4e-3, 1e-6, 0.011, 0.984934])
    comparison = ComparisonModel("birth_date", labels, m.copy(), u.copy())
    before = comparison.weights()
    assert before[0] < before[3]
    monotone(comparison)
    after = comparison.weights()
    assert after[0] == after[3] and before[0] < after[0] < before[3]
    assert abs(comparison.m.sum() - m.sum()) < 1e-12
    assert np.array_equal(np.delete(after, [0, 3]), np.delete(before, [0, 3]))


def test_the_strongest_company_name_levels_are_left_as_learnt() -> None:
    # Not nested as evidence: each is adjusted by its own key's frequency, the legal form
    # is weighed on its own at "same without region" only, and "same without legal form"
    # includes legal forms of different kinds (股份 and 有限).
    labels = ("exact", "same without legal form", "same without region", "similar",
              "same sound", "same trade name", "a parent and its branch", "else")
    m = np.asarray([0.79, 0.048, 0.156, 0.002, 0.0057, 0.0001, 0.0001, 0.0001])
    u = np.asarray([1e-7, 1e-7, 1e-7, 4e-4, 1e-7, 1.5e-4, 1.8e-5, 0.9994])
    comparison = ComparisonModel("company_name", labels, m.copy(), u.copy(), tf_level=0)
    before = comparison.weights()
    monotone(comparison)
    assert np.array_equal(comparison.weights(), before)


def test_a_parent_and_its_branch_never_outweighs_the_name_without_region() -> None:
    labels = ("exact", "same without legal form", "same without region", "similar",
              "same sound", "same trade name", "a parent and its branch", "else")
    m = np.asarray([0.7, 0.1, 0.1, 0.02, 0.02, 0.01, 0.04, 0.01])
    u = np.asarray([1e-6, 1e-6, 1e-3, 1e-3, 1e-5, 1e-3, 1e-6, 0.99])
    comparison = ComparisonModel("company_name", labels, m, u, tf_level=0)
    monotone(comparison)
    weights = comparison.weights()
    assert weights[2] >= weights[6]
    assert weights[0] >= weights[1] >= weights[2] >= weights[3]


def test_a_chain_of_levels_out_of_order_is_pooled_until_in_order() -> None:
    # A middle level with u at the floor: pooling one pair at a time left "exact" below
    # "same after variant characters" after twenty passes.
    labels = ("exact", "same after variant characters", "same pinyin",
              "one character differs", "similar sound", "else")
    m = np.asarray([0.80, 0.05, 0.10, 0.02, 0.002, 0.028])
    u = np.asarray([1e-3, 1e-6, 1e-6, 1e-2, 5e-3, 0.983998])
    comparison = ComparisonModel("name", labels, m.copy(), u.copy(), tf_level=0)
    monotone(comparison)
    w = comparison.weights()
    assert w[0] >= w[1] >= w[2] >= w[4] - 1e-9
    assert abs(comparison.m.sum() - m.sum()) < 1e-12
