"""Scoring candidate pairs with the model, and the per-field "waterfall" behind a score."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from resolver.arrays import CountMatrix, FloatArray, LevelMatrix
from resolver.forked import can_fork, run_split, shared_array
from resolver.model import MatchModel, probability


def _tf_adjustment(model: MatchModel, c: int, levels: npt.NDArray[np.int8],
                   tf_counts: npt.NDArray[np.int64], n: int) -> FloatArray:
    """log2(typical agreeing value's frequency / this value's frequency), where the
    comparison agrees at a frequency-adjusted level.

    Agreeing on a name one entity in fifty holds (张伟) is weaker evidence than the level's
    weight says; agreeing on a name no other entity holds is stronger.
    """
    comparison = model.comparisons[c]
    adjust = np.zeros(tf_counts.shape[0], dtype=np.float64)
    if comparison.tf_level is None or n <= 0:
        return adjust
    for level in comparison.tf_levels:
        reference = comparison.reference(level)
        if reference is None:
            continue
        hit = (tf_counts > 0) & (levels == level)
        adjust[hit] = np.log2(reference / (tf_counts[hit] / n))
    return adjust


def term_frequency_references(model: MatchModel, levels: LevelMatrix, tf: CountMatrix, n: int
                              ) -> None:
    """Measure each adjusted level's typical agreeing-value frequency on these pairs."""
    for c, comparison in enumerate(model.comparisons):
        if comparison.tf_level is None or n <= 0:
            continue
        # Most pairs agree on no counted value: look at the levels of the others only
        # (the same pairs in the same order, so the same mean).
        counted = np.flatnonzero(tf[:, c] > 0)
        counts, at = tf[counted, c], levels[counted, c]
        for level in comparison.tf_levels:
            hit = at == level
            if hit.any():
                comparison.set_reference(level, float((counts[hit] / n).mean()))


def match_weights(model: MatchModel, levels: LevelMatrix, tf: CountMatrix, n: int) -> FloatArray:
    total = np.full(levels.shape[0], model.prior_weight, dtype=np.float64)
    for c, comparison in enumerate(model.comparisons):
        column = levels[:, c]
        seen = column >= 0
        total[seen] += comparison.weights()[column[seen]]
        total += _tf_adjustment(model, c, column, tf[:, c], n)
    return total


def field_weights(model: MatchModel, levels: LevelMatrix, tf: CountMatrix, n: int
                  ) -> FloatArray:
    """Per pair and comparison, the level's weight with its term-frequency adjustment; NaN
    where the field is missing (the parts `match_weights` adds to the prior)."""
    out = np.full(levels.shape, np.nan, dtype=np.float64)
    for c, comparison in enumerate(model.comparisons):
        column = levels[:, c]
        seen = column >= 0
        out[seen, c] = comparison.weights()[column[seen]]
        out[:, c] += _tf_adjustment(model, c, column, tf[:, c], n)
    return out


def match_probabilities(model: MatchModel, levels: LevelMatrix, tf: CountMatrix, n: int,
                        workers: int = 2) -> FloatArray:
    """Each pair's probability on its own: millions of pairs are split with a forked
    process writing its share into shared memory (as the comparisons are)."""
    if workers < 2 or levels.shape[0] < PARALLEL_FROM or not can_fork():
        return probability(match_weights(model, levels, tf, n))
    out: FloatArray = shared_array((levels.shape[0],), np.float64)

    def work(start: int, stop: int) -> None:
        out[start:stop] = probability(match_weights(model, levels[start:stop],
                                                    tf[start:stop], n))

    run_split(work, levels.shape[0], workers)
    return out


PARALLEL_FROM = 1_000_000
"""Pairs from which scoring is split with a forked process (below, forking costs more)."""


@dataclass(frozen=True)
class Contribution:
    comparison: str
    level: str  # the level's label, or "missing"
    weight: float  # log2 Bayes factor of the level
    frequency_adjustment: float  # term-frequency correction on top of it

    def as_dict(self) -> dict[str, object]:
        return {"comparison": self.comparison, "level": self.level,
                "weight": round(self.weight, 3),
                "frequency_adjustment": round(self.frequency_adjustment, 3)}


@dataclass(frozen=True)
class Explanation:
    prior_weight: float
    contributions: tuple[Contribution, ...]

    @property
    def match_weight(self) -> float:
        return self.prior_weight + sum(c.weight + c.frequency_adjustment
                                       for c in self.contributions)

    @property
    def match_probability(self) -> float:
        return float(probability(np.asarray([self.match_weight]))[0])

    def as_dict(self) -> dict[str, object]:
        return {"prior_weight": round(self.prior_weight, 3),
                "match_weight": round(self.match_weight, 3),
                "match_probability": round(self.match_probability, 6),
                "contributions": [c.as_dict() for c in self.contributions]}


def explain(model: MatchModel, levels: npt.NDArray[np.int8], tf: npt.NDArray[np.int64], n: int
            ) -> Explanation:
    """The waterfall of one pair: which level each field reached and what it was worth."""
    return explain_rows(model, levels[np.newaxis, :], tf[np.newaxis, :], n)[0]


def explain_rows(model: MatchModel, levels: LevelMatrix, tf: CountMatrix, n: int
                 ) -> list[Explanation]:
    """`explain` for many pairs at once (one row each): the level weights and frequency
    adjustments are computed a column at a time, not per pair, which is what a batch run
    explaining every record's link spends its time on otherwise."""
    columns = []
    for c, comparison in enumerate(model.comparisons):
        weights = comparison.weights().tolist()
        adjust = _tf_adjustment(model, c, levels[:, c], tf[:, c], n).tolist()
        columns.append((comparison, levels[:, c].tolist(), weights, adjust))
    explained = []
    for row in range(levels.shape[0]):
        parts = []
        for comparison, column, weights, adjust in columns:
            level = column[row]
            if level < 0:
                parts.append(Contribution(comparison.name, "missing", 0.0, 0.0))
            else:
                parts.append(Contribution(comparison.name, comparison.labels[level],
                                          weights[level], adjust[row]))
        explained.append(Explanation(model.prior_weight, tuple(parts)))
    return explained
