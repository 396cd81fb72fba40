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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from resolver.arrays import FloatArray

# Probabilities never reach exactly 0 or 1: a level unseen in training must not become
# an infinite weight that no other evidence can outvote.
PROBABILITY_FLOOR = 1e-6


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

    def weights(self) -> FloatArray:
        """log2(m / u) per level; no agreement level ever counts below disagreement."""
        m = np.clip(self.m, PROBABILITY_FLOOR, 1.0)
        u = np.clip(self.u, PROBABILITY_FLOOR, 1.0)
        weights = np.log2(m / u)
        return np.asarray(np.maximum(weights, weights[-1]), dtype=np.float64)


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
                 "tf_reference": c.tf_reference}
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
                                    c.get("tf_reference"))
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
