"""What a trained model must say to be believed: checks on its weights, not on its data.

EM learns every weight from the data it is given, without labels, and on a small or
peculiar population it can learn nonsense for a rare level (on the 2,000-person demo: "a
parent and its branch" at +16.7 bits, so a parent's name alone linked its branch). The
models shipped for record-by-record resolution (`resolver/default_models/`) are checked
here before they are written (`benchmarks/train_default_models.py`) and by the tests.

Two kinds of check:

- **Order**: where one level is by construction stronger evidence than another (the name
  without its legal form agreeing than the name without its region), its weight must not
  be lower (comparisons.LEVEL_ORDER, which training enforces since this version; "else"
  lies below every level of its group by model.weights).
- **Decisions**: a few pairs whose outcome follows from the domain (docs/resolver.md,
  domain-china.md §2.5 and §4), scored with the prior and no term-frequency adjustment.
  For enterprises the credit code is the anchor but a branch has a code of its own: one
  shared code with two clearly different names and nothing else is more likely a code
  written on the wrong party than one company, so it must not link; a record naming the
  branch by its parent's name but carrying the branch's code (a known informal variant)
  must link; a parent's name against its branch's, with nothing else, must not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resolver.comparisons import LEVEL_ORDER
from resolver.model import MatchModel, probability


@dataclass(frozen=True)
class Decision:
    """A pair given by its levels (comparison → label; the others missing), and whether
    it must link (True) or must not (False)."""

    kind: str
    what: str
    levels: dict[str, str]
    links: bool


DECISIONS = [
    Decision("enterprise", "one credit code, two clearly different names",
             {"credit_code": "exact", "company_name": "else"}, False),
    Decision("enterprise", "one credit code, the branch written by its parent's name",
             {"credit_code": "exact", "company_name": "a parent and its branch"}, True),
    Decision("enterprise", "a parent's name and its branch's, nothing else",
             {"company_name": "a parent and its branch"}, False),
    Decision("enterprise", "one credit code and one name",
             {"credit_code": "exact", "company_name": "exact"}, True),
    Decision("enterprise", "one name, credit codes differing by a character",
             {"credit_code": "one character differs", "company_name": "exact"}, True),
    Decision("enterprise", "one credit code, the name's region dropped",
             {"credit_code": "exact", "company_name": "same without region"}, True),
    Decision("person", "one ID number and one name", {"id_number": "exact", "name": "exact"},
             True),
    Decision("person", "one ID number, the name written with another character",
             {"id_number": "exact", "name": "one character differs"}, True),
]


def match_weight(model: MatchModel, levels: dict[str, str]) -> float:
    """The prior plus the weights of the given levels (no term-frequency adjustment)."""
    total = model.prior_weight
    by_name = {c.name: c for c in model.comparisons}
    for name, label in levels.items():
        comparison = by_name[name]
        total += float(comparison.weights()[comparison.labels.index(label)])
    return total


def problems(model: MatchModel, link_threshold: float = 0.8) -> list[str]:
    """What is implausible about `model`, one line each (empty when nothing is)."""
    found = []
    for comparison in model.comparisons:
        weights = comparison.weights()
        for stronger, weaker in LEVEL_ORDER.get(comparison.name, ()):
            if stronger not in comparison.labels or weaker not in comparison.labels:
                continue
            a = float(weights[comparison.labels.index(stronger)])
            b = float(weights[comparison.labels.index(weaker)])
            if a < b:
                found.append(f"{comparison.name}: {stronger!r} {a:+.1f} bits below "
                             f"{weaker!r} {b:+.1f}")
    names = {c.name for c in model.comparisons}
    for decision in DECISIONS:
        if decision.kind != model.kind or not set(decision.levels) <= names:
            continue
        p = float(probability(np.asarray([match_weight(model, decision.levels)]))[0])
        if (p >= link_threshold) != decision.links:
            found.append(f"{decision.what}: match probability {p:.4f} "
                         f"{'below' if decision.links else 'at or above'} the link threshold "
                         f"{link_threshold}")
    return found
