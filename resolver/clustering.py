"""Entities from scored pairs: strongest links first, never across a hard constraint.

Plain connected components over links chain: A–B and B–C join A and C even when A and C
hold different ID numbers. Here links are taken in descending probability and a link
that would put two different valid strong identifiers (resident ID numbers, credit
codes), or the two sides of a reviewer's "keep apart", into one entity is not taken; it
goes to the review queue instead. A reviewer's "merge" is taken before any score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from resolver.arrays import FloatArray, IntArray


class ReviewReason(StrEnum):
    uncertain = "uncertain"  # probability between the review and the link thresholds
    conflicting_identifiers = "conflicting identifiers"
    reviewer_kept_apart = "a reviewer kept these apart"


@dataclass(frozen=True)
class ReviewItem:
    pair: int  # index into the scored pairs
    reason: ReviewReason


@dataclass
class Clusters:
    labels: IntArray  # per record, the index of its cluster's first record
    review: list[ReviewItem] = field(default_factory=list)
    links_taken: int = 0


class _Components:
    def __init__(self, strong: IntArray) -> None:
        self.parent = list(range(len(strong)))
        self.strong: list[int] = [int(s) for s in strong]  # -1: none; never two per component
        self.apart: dict[int, set[int]] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def conflict(self, a: int, b: int) -> ReviewReason | None:
        sa, sb = self.strong[a], self.strong[b]
        if sa >= 0 and sb >= 0 and sa != sb:
            return ReviewReason.conflicting_identifiers
        apart_a = self.apart.get(a)
        if apart_a and any(self.find(x) == b for x in apart_a):
            return ReviewReason.reviewer_kept_apart
        return None

    def union(self, a: int, b: int) -> None:
        if a > b:  # the lower index survives, so labels are stable for a given input order
            a, b = b, a
        self.parent[b] = a
        if self.strong[a] < 0:
            self.strong[a] = self.strong[b]
        if b in self.apart:
            self.apart.setdefault(a, set()).update(self.apart.pop(b))


def cluster(
    n: int,
    i: IntArray,
    j: IntArray,
    probabilities: FloatArray,
    strong: IntArray,
    link_threshold: float,
    review_threshold: float,
    merge: Sequence[tuple[int, int]] = (),
    keep_apart: Sequence[tuple[int, int]] = (),
) -> Clusters:
    """Cluster `n` records from pairs (i[k], j[k]) with match probabilities."""
    parts = _Components(strong)
    for a, b in keep_apart:
        parts.apart.setdefault(a, set()).add(b)
        parts.apart.setdefault(b, set()).add(a)
    result = Clusters(labels=np.empty(0, dtype=np.int64))
    for a, b in merge:
        ra, rb = parts.find(a), parts.find(b)
        if ra != rb:
            parts.union(ra, rb)
    order = np.argsort(-probabilities, kind="stable")
    linkable = order[probabilities[order] >= link_threshold]
    uncertain = order[(probabilities[order] >= review_threshold)
                      & (probabilities[order] < link_threshold)]
    pi, pj = i.tolist(), j.tolist()
    for k in linkable.tolist():
        ra, rb = parts.find(pi[k]), parts.find(pj[k])
        if ra == rb:
            continue
        reason = parts.conflict(ra, rb)
        if reason is not None:
            result.review.append(ReviewItem(k, reason))
            continue
        parts.union(ra, rb)
        result.links_taken += 1
    for k in uncertain.tolist():
        if parts.find(pi[k]) != parts.find(pj[k]):
            result.review.append(ReviewItem(k, ReviewReason.uncertain))
    result.labels = np.fromiter((parts.find(x) for x in range(n)), dtype=np.int64, count=n)
    return result
