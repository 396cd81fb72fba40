"""Learning the match model without labels: u from random pairs, m and the prior by EM.

Random pairs are almost all non-matches, so how often each level occurs among them is u.
With u held fixed, expectation–maximisation over the candidate pairs finds the m values
and the share of matches that best explain the levels observed, as Splink does. Pairs a
reviewer has decided enter EM with their decision instead of an estimate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from resolver.arrays import BoolArray, FloatArray, IntArray, LevelMatrix
from resolver.comparisons import LEVEL_ORDER, Comparison, level_matrix, levels_in_background
from resolver.frame import Frame
from resolver.model import PROBABILITY_FLOOR, ComparisonModel, MatchModel, layout

Layout = tuple[int, ...]  # the group of each level of one comparison (model.layout)


def as_layout(levels: Layout | int) -> Layout:
    """A comparison's layout, from its layout or (ungrouped) its number of levels."""
    return (0,) * levels if isinstance(levels, int) else levels


def normalise(values: FloatArray, levels_layout: Layout) -> FloatArray:
    """Shares within each group of levels (within the whole comparison when ungrouped)."""
    groups = np.asarray(levels_layout, dtype=np.int64)
    totals = np.bincount(groups, weights=values)
    safe = np.where(totals[groups] > 0, totals[groups], 1.0)
    return np.asarray(values / safe, dtype=np.float64)


@dataclass(frozen=True)
class TrainingOptions:
    max_random_pairs: int = 1_000_000
    min_session_pairs: int = 50
    m_pseudo_pairs: float = 5.0
    max_iterations: int = 60
    tolerance: float = 1e-5
    seed: int = 0


def remove_matches(frequencies: Sequence[FloatArray], m: Sequence[FloatArray], prior: float,
                   drawn: int, layouts: Sequence[Layout | int]) -> list[FloatArray]:
    """u from level shares among random pairs, less the matches among those pairs.

    Random pairs are not all non-matches: where entities have many records (an
    enterprise named in a hundred cases) matches are a noticeable share of them, and
    they would make agreeing on the full legal name look like something unrelated
    records often do.
    """
    floor = 1.0 / (drawn + 1)
    out = []
    for f, m_c, levels_layout in zip(frequencies, m, layouts, strict=True):
        u = np.maximum((f - prior * m_c) / (1 - prior), floor).astype(np.float64)
        out.append(normalise(u, as_layout(levels_layout)))
    return out


def random_pairs(frame: Frame, count: int, link_only: bool, seed: int) -> tuple[IntArray, IntArray]:
    """Up to `count` distinct-record pairs drawn uniformly (all pairs when there are few)."""
    n = frame.n
    if n < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    if n * (n - 1) // 2 <= count:
        i, j = np.triu_indices(n, k=1)
        i, j = i.astype(np.int64), j.astype(np.int64)
    else:
        rng = np.random.default_rng(seed)
        i = rng.integers(0, n, size=count, dtype=np.int64)
        j = rng.integers(0, n - 1, size=count, dtype=np.int64)
        j = j + (j >= i)  # never a record with itself
    if link_only:
        keep = frame.sources[i] != frame.sources[j]
        i, j = i[keep], j[keep]
    return i, j


def level_frequencies(levels: LevelMatrix, layouts: Sequence[Layout | int],
                      weights: FloatArray | None = None) -> list[FloatArray]:
    """Share of each level among the pairs where the comparison is not null (within its
    group, for a grouped comparison)."""
    out = []
    for c, given in enumerate(layouts):
        levels_layout = as_layout(given)
        size = len(levels_layout)
        column = levels[:, c]
        seen = column >= 0
        w = None if weights is None else weights[seen]
        counts = np.bincount(column[seen].astype(np.int64), weights=w, minlength=size)
        # Additive smoothing of half a pair keeps a never-seen level finite.
        out.append(normalise((counts + 0.5 / size).astype(np.float64), levels_layout))
    return out


def _smoothed_m(levels: LevelMatrix, layouts: Sequence[Layout], posterior: FloatArray,
                pseudo_pairs: float) -> list[FloatArray]:
    """m as posterior-weighted level shares, with a few pseudo-pairs spread like `initial_m`.

    The pseudo-pairs (a Dirichlet prior) keep a level that matches rarely show in one
    session from getting an m of almost zero, which would make that level count as
    evidence against a match even when it means "similar".
    """
    out = []
    for c, levels_layout in enumerate(layouts):
        column = levels[:, c]
        seen = column >= 0
        counts = np.bincount(column[seen].astype(np.int64), weights=posterior[seen],
                             minlength=len(levels_layout))
        start = initial_m(levels_layout)
        groups = np.asarray(levels_layout, dtype=np.int64)
        group_totals = np.bincount(groups, weights=counts)[groups]
        out.append((counts + pseudo_pairs * start) / (group_totals + pseudo_pairs))
    return out


def initial_m(levels_layout: Layout | int) -> FloatArray:
    """A starting guess: matches mostly agree at the strongest level, rarely disagree
    (in each group of levels)."""
    if isinstance(levels_layout, int):
        levels_layout = (0,) * levels_layout
    out = np.empty(len(levels_layout))
    for g in dict.fromkeys(levels_layout):
        members = [k for k, h in enumerate(levels_layout) if h == g]
        out[members] = _initial_m(len(members))
    return out


def _initial_m(size: int) -> FloatArray:
    if size == 1:
        return np.asarray([1.0])
    if size == 2:
        return np.asarray([0.9, 0.1])
    middle = np.full(size - 2, 0.25 / (size - 2))
    return np.asarray([0.7, *middle, 0.05])


def compress(levels: LevelMatrix) -> tuple[LevelMatrix, FloatArray, IntArray]:
    """The distinct rows of a level matrix, how often each occurs, and each row's pattern.

    Millions of candidate pairs show only a few thousand distinct level patterns, so EM
    over patterns weighted by their counts gives the same answer far faster.
    """
    if levels.shape[0] == 0:
        return levels, np.zeros(0), np.zeros(0, dtype=np.int64)
    base = int(levels.max()) + 2
    keys = np.zeros(levels.shape[0], dtype=np.int64)
    for c in range(levels.shape[1]):
        keys = keys * base + (levels[:, c].astype(np.int64) + 1)
    # Not a stable sort: rows with equal keys are equal rows (the key encodes every
    # level), so which of them stands for its pattern cannot matter; numpy's quicksort is
    # about three times faster on millions of keys.
    order = np.argsort(keys)
    ordered = keys[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    starts = np.flatnonzero(first)
    counts = np.diff(np.r_[starts, ordered.size]).astype(np.float64)
    pattern = np.empty(levels.shape[0], dtype=np.int64)
    pattern[order] = np.cumsum(first) - 1
    return levels[order[starts]], counts, pattern


def expectation_maximisation(
    levels: LevelMatrix,
    u: Sequence[FloatArray],
    layouts: Sequence[Layout | int],
    options: TrainingOptions,
    decided: Mapping[int, bool] | None = None,
) -> tuple[list[FloatArray], float, int]:
    """m per comparison, the prior share of matches, and the iterations used.

    Rows a reviewer decided keep their decision as their posterior; the others are
    compressed to distinct patterns first.
    """
    decided = decided or {}
    fixed_rows = np.asarray(list(decided), dtype=np.int64)
    free = np.ones(levels.shape[0], dtype=bool)
    free[fixed_rows] = False
    patterns, counts, _ = compress(levels[free])
    return _em(np.concatenate([patterns, levels[fixed_rows]]),
               np.concatenate([counts, np.ones(fixed_rows.size)]),
               np.asarray([float(v) for v in decided.values()]), u, layouts, options)


def _em(patterns: LevelMatrix, counts: FloatArray, fixed_values: FloatArray,
        u: Sequence[FloatArray], layouts: Sequence[Layout | int], options: TrainingOptions,
        ) -> tuple[list[FloatArray], float, int]:
    """EM over weighted level patterns; the last len(fixed_values) rows are decided."""
    fixed = np.arange(patterns.shape[0] - fixed_values.size, patterns.shape[0])
    shapes = [as_layout(x) for x in layouts]
    m = [initial_m(levels_layout) for levels_layout in shapes]
    prior = 0.3
    log_u = [np.log(np.clip(x, PROBABILITY_FLOOR, 1)) for x in u]
    total = max(float(counts.sum()), 1.0)
    iterations = 0
    while iterations < options.max_iterations:
        iterations += 1
        log_m = [np.log(np.clip(x, PROBABILITY_FLOOR, 1)) for x in m]
        odds = np.full(patterns.shape[0], np.log(prior) - np.log(1 - prior))
        for c in range(len(shapes)):
            column = patterns[:, c]
            seen = column >= 0
            odds[seen] += log_m[c][column[seen]] - log_u[c][column[seen]]
        posterior = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
        posterior[fixed] = fixed_values
        new_m = _smoothed_m(patterns, shapes, posterior * counts, options.m_pseudo_pairs)
        new_prior = float(np.clip((posterior * counts).sum() / total, PROBABILITY_FLOOR,
                                  1 - PROBABILITY_FLOOR))
        change = max(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True))
        change = max(change, abs(new_prior - prior))
        m, prior = new_m, new_prior
        if change < options.tolerance:
            break
    return m, prior, iterations


def _anchored(patterns: LevelMatrix, counts: FloatArray, u: FloatArray, levels_layout: Layout,
              options: TrainingOptions) -> tuple[list[FloatArray], float, int]:
    """m and the share of matches in a session where only one comparison takes part.

    With u fixed, the level shares f of one comparison are explained equally well by any
    share p of matches (m = (f - (1 - p) u) / p), so EM would stop wherever its start left
    it. The weakest level settles it: matches almost never disagree outright, so the
    pairs there are non-matches and say how many non-matches there are. With names and
    birth dates only (RLdata), EM had taught that a quarter of matches have unrelated
    birth dates, and namesakes linked. (Only for a comparison of one group of levels:
    grouped levels are shares within their group, so "else" alone does not count the
    non-matches.)
    """
    f = level_frequencies(patterns, [levels_layout], counts)[0]
    share = float(np.clip(1 - f[-1] / max(float(u[-1]), PROBABILITY_FLOOR),
                          PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR))
    excess = np.maximum(f - (1 - share) * u, 0.0) * float(counts.sum())
    groups = np.asarray(levels_layout, dtype=np.int64)
    totals = np.bincount(groups, weights=excess)[groups]
    m = (excess + options.m_pseudo_pairs * initial_m(levels_layout)) / (
        totals + options.m_pseudo_pairs)
    return [m], share, 0


def estimate_m(
    levels: LevelMatrix,
    compressed: tuple[LevelMatrix, FloatArray, IntArray],
    u: Sequence[FloatArray],
    comparisons: Sequence[Comparison],
    sessions: Sequence[tuple[BoolArray, frozenset[str]]],
    options: TrainingOptions,
    decided: Mapping[int, bool] | None = None,
) -> tuple[list[FloatArray], int]:
    """m per comparison from EM sessions, one per blocking rule (`compressed`: the
    levels' `compress`).

    Every pair a rule generated agrees on the fields the rule blocks on, so in that rule's
    session those comparisons sit out (as in Splink): each m is learnt only from pairs
    that were not selected for agreeing on it. Of the sessions where a comparison took
    part, the one with the largest share of matches gives its m: where nearly every pair
    is a match, EM cannot mistake a correlated group of non-matches (a household sharing
    a phone and an address) for matches, which would teach it that matches often carry
    different names. A session where only one comparison takes part cannot tell by EM
    how many of its pairs match (`_anchored`).
    """
    layouts = [c.layout for c in comparisons]
    best: list[tuple[float, FloatArray] | None] = [None] * len(layouts)
    iterations = 0
    decided = decided or {}
    fixed_rows = np.asarray(sorted(decided), dtype=np.int64)
    free = np.ones(levels.shape[0], dtype=bool)
    free[fixed_rows] = False
    patterns, _, pattern_of = compressed
    for mask, uses in sessions:
        active = np.asarray([k for k, c in enumerate(comparisons) if c.name not in uses])
        if not active.size or int(mask.sum()) < options.min_session_pairs:
            continue
        counts = np.bincount(pattern_of[mask & free], minlength=patterns.shape[0])
        seen = np.flatnonzero(counts)
        decided_here = fixed_rows[mask[fixed_rows]]
        session = np.concatenate([patterns[seen][:, active], levels[decided_here][:, active]])
        weights = np.concatenate([counts[seen].astype(np.float64), np.ones(decided_here.size)])
        if active.size == 1 and not decided_here.size and not any(layouts[active[0]]):
            m, share, used = _anchored(session, weights, u[active[0]], layouts[active[0]], options)
        else:
            m, share, used = _em(session, weights,
                                 np.asarray([float(decided[r]) for r in decided_here.tolist()]),
                                 [u[k] for k in active], [layouts[k] for k in active], options)
        iterations += used
        for position, k in enumerate(active.tolist()):
            observed = float(weights[session[:, position] >= 0].sum())
            current = best[k]
            if observed >= options.min_session_pairs and (current is None or share > current[0]):
                best[k] = (share, m[position])
    return [b[1] if b is not None else initial_m(layouts[k]) for k, b in enumerate(best)], \
        iterations


def estimate_prior(patterns: LevelMatrix, counts: FloatArray, m: Sequence[FloatArray],
                   u: Sequence[FloatArray], options: TrainingOptions) -> float:
    """Share of matches among candidate pairs (as weighted patterns), m and u held fixed."""
    if patterns.shape[0] == 0:
        return PROBABILITY_FLOOR
    weight = np.zeros(patterns.shape[0])
    for c in range(patterns.shape[1]):
        column = patterns[:, c]
        seen = column >= 0
        ratio = np.log(np.clip(m[c], PROBABILITY_FLOOR, 1)) - np.log(
            np.clip(u[c], PROBABILITY_FLOOR, 1))
        weight[seen] += ratio[column[seen]]
    total = float(counts.sum())
    prior = 0.1
    for _ in range(options.max_iterations):
        odds = np.clip(weight + np.log(prior) - np.log(1 - prior), -700, 700)
        new = float(np.clip(((1.0 / (1.0 + np.exp(-odds))) * counts).sum() / total,
                            PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR))
        if abs(new - prior) < options.tolerance:
            return new
        prior = new
    return prior


def total_pairs(frame: Frame, link_only: bool) -> int:
    if not link_only:
        return frame.n * (frame.n - 1) // 2
    sizes = np.bincount(frame.sources)
    return int((sizes.sum() ** 2 - (sizes**2).sum()) // 2)


@dataclass
class RandomSample:
    """The random pairs u was measured on, kept for re-measuring after a first clustering."""

    i: IntArray
    j: IntArray
    levels: LevelMatrix


def monotone(comparison: ComparisonModel) -> None:
    """Keep the weights of levels whose order follows from their definition
    (comparisons.LEVEL_ORDER) in that order, in place: levels whose order is broken are
    pooled into one block with the ratio sum(m) / sum(u), m shared within the block in
    proportion to u (their m still sums as before), and blocks are merged until no pair
    is out of order: the monotone (isotonic) estimate.

    EM gives each level log2(m/u), and a level that random pairs never show has u at its
    floor, so its weight says only how often matches are written that way: a birth date
    known to the month only came out 3.6 bits above an exact one. Pooling a pair at a
    time could leave a chain of three out of order.
    """
    order = [(comparison.labels.index(a), comparison.labels.index(b))
             for a, b in LEVEL_ORDER.get(comparison.name, ())
             if a in comparison.labels and b in comparison.labels]
    if not order:
        return
    m = np.clip(comparison.m, PROBABILITY_FLOOR, 1.0)  # as the weights see them
    u = np.clip(comparison.u, PROBABILITY_FLOOR, 1.0)
    block = list(range(len(m)))  # each level's block, named by one of its levels
    for _ in range(len(m)):  # every round merges two blocks at least, or stops
        broken = [(a, b) for a, b in order
                  if block[a] != block[b] and m[a] * u[b] < m[b] * u[a] * (1 - 1e-9)]
        if not broken:
            break
        for a, b in broken:
            old, new = block[b], block[a]
            block = [new if x == old else x for x in block]
        for name in set(block):
            members = [k for k, x in enumerate(block) if x == name]
            if len(members) > 1:
                m[members] = m[members].sum() / u[members].sum() * u[members]
    pooled = [k for k, x in enumerate(block) if block.count(x) > 1]
    if pooled:
        changed = np.array(comparison.m, dtype=np.float64)
        changed[pooled] = m[pooled]
        comparison.m = changed


def remeasured_u(model: MatchModel, sample: RandomSample, labels: IntArray
                 ) -> list[FloatArray] | None:
    """u again from the random pairs whose records a first grouping put apart.

    Subtracting the expected matches (`remove_matches`) relies on m, which EM learnt on
    the purest session; where most records of an entity look unlike that session (an
    enterprise's informal names), the matches left among random pairs still make
    agreeing look common. With `labels` from a permissive grouping, pairs it keeps apart
    are almost surely non-matches; the non-matches it wrongly joins are a negligible
    share of all random pairs. None where it groups every random pair together (nothing
    to measure); `set_u` puts the result into the model.
    """
    across = labels[sample.i] != labels[sample.j]
    if not across.any():
        return None
    layouts = [layout(len(c.labels), c.groups) for c in model.comparisons]
    return level_frequencies(sample.levels[across], layouts)


def set_u(model: MatchModel, u: Sequence[FloatArray] | None) -> None:
    """`remeasured_u` into the model, levels ordered by definition kept in order."""
    if u is not None:
        for comparison, values in zip(model.comparisons, u, strict=True):
            comparison.u = values
            monotone(comparison)


@contextmanager
def random_sample(frame: Frame, comparisons: list[Comparison], link_only: bool,
                  options: TrainingOptions) -> Iterator[Callable[[], RandomSample]]:
    """The random pairs u is measured on, their levels started in a forked child now
    (`levels_in_background`): they depend on the frame alone, so the child works on them
    while this process finds and compares the candidate pairs, which it would otherwise
    do with the other core idle while blocking."""
    ri, rj = random_pairs(frame, options.max_random_pairs, link_only, options.seed)
    with levels_in_background(frame, comparisons, ri, rj) as levels:
        yield lambda: RandomSample(ri, rj, levels())


def train(
    frame: Frame,
    comparisons: list[Comparison],
    candidate_levels: LevelMatrix,
    sessions: Sequence[tuple[BoolArray, frozenset[str]]],
    link_only: bool,
    options: TrainingOptions,
    decided: Mapping[int, bool] | None = None,
    sample: Callable[[], RandomSample] | None = None,
) -> tuple[MatchModel, RandomSample]:
    """Fit the model for one frame from random pairs (`sample`, from `random_sample`, asked
    for once the candidate levels are compressed; drawn here when not given) and its
    candidate pairs' levels.

    The prior is the probability that two records drawn at random match: the share of
    matches among candidates times the candidates' share of all pairs (blocking is
    assumed to find nearly all matches).
    """
    layouts = [c.layout for c in comparisons]
    compressed = compress(candidate_levels)
    if sample is None:
        ri, rj = random_pairs(frame, options.max_random_pairs, link_only, options.seed)
        drawn = RandomSample(ri, rj, level_matrix(frame, comparisons, ri, rj))
    else:
        drawn = sample()
    ri, random_levels = drawn.i, drawn.levels
    u = level_frequencies(random_levels, layouts)
    m, iterations = estimate_m(candidate_levels, compressed, u, comparisons, sessions, options,
                               decided)
    frequencies, prior = u, 0.0
    patterns, counts, _ = compressed
    for _ in range(3):
        share = estimate_prior(patterns, counts, m, u, options)
        prior = share * candidate_levels.shape[0] / max(total_pairs(frame, link_only), 1)
        u = remove_matches(frequencies, m, prior, ri.size, layouts)
    model = MatchModel(
        kind=frame.kind, prior=float(np.clip(prior, PROBABILITY_FLOOR**2, 0.5)),
        trained_on_pairs=int(candidate_levels.shape[0]), em_iterations=iterations,
        comparisons=[ComparisonModel(c.name, c.labels, m[k], u[k], c.tf_level, groups=c.groups,
                                     tf_also=c.tf_also)
                     for k, c in enumerate(comparisons)],
    )
    for comparison in model.comparisons:
        monotone(comparison)
    return model, drawn
