"""The Fellegi–Sunter match model: per comparison level, m and u probabilities.

m is how often the level occurs between two records of the same entity, u how often it
occurs between two records of different entities. A level's weight is log2(m / u); a
pair's match weight is the prior's log-odds plus its levels' weights, and its match
probability follows from that. The model is plain data so that batch and record-by-record
resolution use exactly the same numbers, and its version (a hash of its content) is what
merge events name as "decided by".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from resolver.arrays import FloatArray

# Probabilities never reach exactly 0 or 1: a level unseen in training must not become
# an infinite weight that no other evidence can outvote.
PROBABILITY_FLOOR = 1e-6


def layout(size: int, groups: tuple[int, ...] | None) -> tuple[int, ...]:
    """The group of each level: all 0 for an ordinary comparison.

    A comparison conditioned on another field splits its levels into groups, one per state
    of that field (a phone agreeing "at the same address" or not); m and u are then
    probabilities within each group, so that the level's weight is the conditional
    Bayes factor of the chain rule, P(level | group, match) / P(level | group, non-match).
    """
    return groups if groups is not None else (0,) * size


def group_ends(levels_layout: tuple[int, ...]) -> npt.NDArray[np.int64]:
    """Per level, the last level of its group (the group's "else")."""
    ends = np.empty(len(levels_layout), dtype=np.int64)
    for k, g in enumerate(levels_layout):
        ends[k] = max(x for x, h in enumerate(levels_layout) if h == g)
    return ends


def tf_levels(tf_level: int | None, groups: tuple[int, ...] | None) -> tuple[int, ...]:
    """Levels whose weight is adjusted by term frequency: `tf_level`, and for a grouped
    comparison the level at the same place in every group."""
    if tf_level is None:
        return ()
    if groups is None:
        return (tf_level,)
    place = sum(1 for g in groups[:tf_level] if g == groups[tf_level])
    out = []
    for g in dict.fromkeys(groups):
        members = [k for k, h in enumerate(groups) if h == g]
        if place < len(members):
            out.append(members[place])
    return tuple(out)


class ModelFileError(ValueError):
    """A saved model cannot be read back."""


@dataclass
class ComparisonModel:
    name: str
    labels: tuple[str, ...]
    m: FloatArray
    u: FloatArray
    tf_level: int | None = None
    # The typical frequency of a value two records agree on at `tf_level`, as a share of
    # entities; a value more common than this weakens the agreement, a rarer one
    # strengthens it. None until measured (no adjustment).
    tf_reference: float | None = None
    groups: tuple[int, ...] | None = None  # see `layout`
    # Further levels adjusted by the frequency of the value agreed on at that level (the
    # name without its region, say). Every adjusted level other than `tf_level` (these,
    # and a grouped comparison's levels aligned with it) has its own typical frequency.
    tf_also: tuple[int, ...] = ()
    tf_also_references: dict[int, float] = field(default_factory=dict)

    def weights(self) -> FloatArray:
        """log2(m / u) per level; no agreement level ever counts below disagreement (the
        last level of its group)."""
        m = np.clip(self.m, PROBABILITY_FLOOR, 1.0)
        u = np.clip(self.u, PROBABILITY_FLOOR, 1.0)
        weights = np.log2(m / u)
        ends = group_ends(layout(len(self.labels), self.groups))
        return np.asarray(np.maximum(weights, weights[ends]), dtype=np.float64)

    @property
    def tf_levels(self) -> tuple[int, ...]:
        return tf_levels(self.tf_level, self.groups) + self.tf_also

    def reference(self, level: int) -> float | None:
        """The typical agreeing value's frequency at a term-frequency-adjusted level."""
        if level == self.tf_level:
            return self.tf_reference
        return self.tf_also_references.get(level) if level in self.tf_levels else None

    def set_reference(self, level: int, value: float) -> None:
        if level == self.tf_level:
            self.tf_reference = value
        else:
            self.tf_also_references[level] = value


@dataclass
class MatchModel:
    kind: str
    prior: float  # probability that two records drawn at random are a match
    comparisons: list[ComparisonModel]
    trained_on_pairs: int = 0
    em_iterations: int = 0

    @property
    def prior_weight(self) -> float:
        p = min(max(self.prior, PROBABILITY_FLOOR**2), 1 - PROBABILITY_FLOOR)
        return float(np.log2(p / (1 - p)))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "prior": self.prior, "trained_on_pairs": self.trained_on_pairs,
            "em_iterations": self.em_iterations,
            "comparisons": [
                {"name": c.name, "labels": list(c.labels), "m": [round(x, 10) for x in c.m],
                 "u": [round(x, 10) for x in c.u], "tf_level": c.tf_level,
                 "tf_reference": c.tf_reference,
                 **({"groups": list(c.groups)} if c.groups is not None else {}),
                 **({"tf_also": list(c.tf_also)} if c.tf_also else {}),
                 **({"tf_also_references": {str(k): v for k, v in
                                            sorted(c.tf_also_references.items())}}
                    if c.tf_also_references else {})}
                for c in self.comparisons
            ],
        }

    @property
    def version(self) -> str:
        text = json.dumps(self.to_json(), sort_keys=True)
        return f"{self.kind}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MatchModel:
        try:
            return cls(
                kind=str(data["kind"]), prior=float(data["prior"]),
                trained_on_pairs=int(data.get("trained_on_pairs", 0)),
                em_iterations=int(data.get("em_iterations", 0)),
                comparisons=[
                    ComparisonModel(str(c["name"]), tuple(c["labels"]),
                                    np.asarray(c["m"], dtype=np.float64),
                                    np.asarray(c["u"], dtype=np.float64), c.get("tf_level"),
                                    c.get("tf_reference"),
                                    tuple(c["groups"]) if c.get("groups") else None,
                                    tuple(c.get("tf_also", ())),
                                    {int(k): float(v) for k, v in
                                     c.get("tf_also_references", {}).items()})
                    for c in data["comparisons"]
                ],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFileError(f"not a Wutong match model: {exc}") from exc

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), "utf-8")

    @classmethod
    def load(cls, path: Path) -> MatchModel:
        try:
            return cls.from_json(json.loads(path.read_text("utf-8")))
        except json.JSONDecodeError as exc:
            raise ModelFileError(f"{path}: not JSON ({exc})") from exc


def probability(match_weight: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp2(-match_weight)), dtype=np.float64)


def weight_of(probability_value: float) -> float:
    p = min(max(probability_value, PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR)
    return float(np.log2(p / (1 - p)))
