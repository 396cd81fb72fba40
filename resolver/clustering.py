"""Entities from scored pairs: strongest links first, never across a hard constraint.

Plain connected components over links chain: A–B and B–C join A and C even when A and C
hold different ID numbers. Here links are taken in descending probability and a link
that would put two different valid strong identifiers (resident ID numbers, credit
codes), or the two sides of a reviewer's "keep apart", into one entity is not taken; it
goes to the review queue instead. A reviewer's "merge" is taken before any score.
Where such a conflict made the choice, records are then checked against their entity as a
whole (`entity_fit`): one that does not fit it moves to a linked entity it fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from resolver.arrays import FloatArray, IntArray
from resolver.entity_fit import PairEvidence, follow_identified, reassign
from resolver.frame import unique_pairs
from resolver.model import weight_of


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


def connected_components(n: int, i: IntArray, j: IntArray) -> IntArray:
    """Per record, the smallest record index in its component.

    Hooking and pointer jumping in numpy (each root hooks under the smallest root it has an
    edge to, then every record points straight at its root) rather than scipy's csgraph:
    a handful of rounds even at millions of links, and `wutong resolve` does not pay
    scipy's import time. Roots only ever point at smaller indices, so the root left in the
    end is the component's smallest record.
    """
    labels = np.arange(n, dtype=np.int64)
    if i.size == 0:
        return labels
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    while True:
        li, lj = labels[i], labels[j]
        apart = li != lj
        if not apart.any():
            return labels
        i, j, li, lj = i[apart], j[apart], li[apart], lj[apart]
        np.minimum.at(labels, np.maximum(li, lj), np.minimum(li, lj))
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped


def _conflicted(labels: IntArray, strong: IntArray, keep_apart: Sequence[tuple[int, int]]
                ) -> npt.NDArray[np.bool_]:
    """Per record: does its component hold two strong identifiers or a kept-apart pair?"""
    bad = np.zeros(labels.size, dtype=bool)
    held = strong >= 0
    if held.any():
        owners, _ = unique_pairs(labels[held], strong[held])
        components, counts = np.unique(owners, return_counts=True)
        bad[components[counts > 1]] = True
    for a, b in keep_apart:
        if labels[a] == labels[b]:
            bad[labels[a]] = True
    return np.asarray(bad[labels])


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
    evidence: PairEvidence | None = None,
) -> Clusters:
    """Cluster `n` records from pairs (i[k], j[k]) with match probabilities.

    Components of the links above the threshold that hold no conflict are taken whole;
    only the few that would join different identifiers are rebuilt link by link,
    strongest first, and there, given the pairs' `evidence`, a record that does not fit
    its entity as a whole moves to a linked entity it fits.
    """
    extra_i = np.asarray([a for a, _ in merge], dtype=np.int64)
    extra_j = np.asarray([b for _, b in merge], dtype=np.int64)
    link = probabilities >= link_threshold
    labels = connected_components(n, np.concatenate([i[link], extra_i]),
                                  np.concatenate([j[link], extra_j]))
    result = Clusters(labels=labels)
    result.links_taken = int(link.sum())
    bad = _conflicted(labels, strong, keep_apart)
    if bad.any():
        result.links_taken -= int((link & bad[i]).sum())
        _rebuild(result, bad, i, j, probabilities, strong, link, merge, keep_apart)
        if evidence is not None:
            _refit(result, bad, i, j, probabilities, strong, link, merge, keep_apart, evidence,
                   weight_of(link_threshold))
        result.review[:] = _one_conflict_per_entity_pair(result, i, j, probabilities)
    uncertain = np.flatnonzero((probabilities >= review_threshold) & ~link)
    uncertain = uncertain[result.labels[i[uncertain]] != result.labels[j[uncertain]]]
    result.review.extend(ReviewItem(int(k), ReviewReason.uncertain)
                         for k in _strongest_per_entity_pair(result.labels, i, j, probabilities,
                                                             uncertain).tolist())
    return result


def _one_conflict_per_entity_pair(result: Clusters, i: IntArray, j: IntArray,
                                  probabilities: FloatArray) -> list[ReviewItem]:
    """The links the rebuild refused, one per pair of final entities: a family sharing a
    phone and an address would otherwise put one item per record pair in the queue."""
    if not result.review:
        return []
    reasons = {item.pair: item.reason for item in result.review}
    pairs = np.asarray(sorted(reasons), dtype=np.int64)
    pairs = pairs[result.labels[i[pairs]] != result.labels[j[pairs]]]
    kept = _strongest_per_entity_pair(result.labels, i, j, probabilities, pairs)
    return [ReviewItem(k, reasons[k]) for k in kept.tolist()]


def _strongest_per_entity_pair(labels: IntArray, i: IntArray, j: IntArray,
                               probabilities: FloatArray, pairs: IntArray) -> IntArray:
    """One review item per pair of entities (its strongest record pair): an enterprise
    named in a hundred records would otherwise ask the same question a hundred times."""
    if pairs.size == 0:
        return pairs
    a, b = labels[i[pairs]], labels[j[pairs]]
    low, high = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((-probabilities[pairs], high, low))
    low, high = low[order], high[order]
    first = np.r_[True, (low[1:] != low[:-1]) | (high[1:] != high[:-1])]
    return np.asarray(np.sort(pairs[order][first]), dtype=np.int64)


def _rebuild(result: Clusters, bad: npt.NDArray[np.bool_], i: IntArray, j: IntArray,
             probabilities: FloatArray, strong: IntArray, link: npt.NDArray[np.bool_],
             merge: Sequence[tuple[int, int]], keep_apart: Sequence[tuple[int, int]]) -> None:
    """Greedy strongest-first union inside the conflicted components only.

    Records holding the same strong identifier are joined first (they can never conflict
    with each other), so the greedy pass only walks links between different groups.
    """
    members = np.flatnonzero(bad)
    same_id = link & bad[i] & (strong[i] >= 0) & (strong[i] == strong[j])
    if keep_apart:  # a reviewer's "keep apart" beats a shared identifier
        held = np.zeros(len(bad), dtype=bool)
        held[[x for pair in keep_apart for x in pair]] = True
        same_id &= ~held[i] & ~held[j]
    groups = connected_components(len(bad), i[same_id], j[same_id])
    parts = _Components(np.where(bad, strong, -1))
    parent = parts.parent
    for x in members[groups[members] != members].tolist():
        parent[x] = int(groups[x])
    for a, b in keep_apart:
        parts.apart.setdefault(parts.find(a), set()).add(b)
        parts.apart.setdefault(parts.find(b), set()).add(a)
    for a, b in merge:
        if bad[a]:
            ra, rb = parts.find(a), parts.find(b)
            # The API refuses such a merge, but a decision stored before a record gained
            # its identifier must not join two different people either.
            if ra != rb and parts.conflict(ra, rb) is not ReviewReason.conflicting_identifiers:
                parts.union(ra, rb)
    edges = np.flatnonzero(link & bad[i] & (groups[i] != groups[j]))
    edges = edges[np.argsort(-probabilities[edges], kind="stable")]
    find, conflict, union = parts.find, parts.conflict, parts.union
    review = result.review
    taken = 0
    for k, a, b in zip(edges.tolist(), i[edges].tolist(), j[edges].tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        reason = conflict(ra, rb)
        if reason is not None:
            review.append(ReviewItem(k, reason))
            continue
        union(ra, rb)
        taken += 1
    result.links_taken += taken + int(same_id.sum())
    result.labels[members] = [find(x) for x in members.tolist()]


def _refit(result: Clusters, bad: npt.NDArray[np.bool_], i: IntArray, j: IntArray,
           probabilities: FloatArray, strong: IntArray, link: npt.NDArray[np.bool_],
           merge: Sequence[tuple[int, int]], keep_apart: Sequence[tuple[int, int]],
           evidence: PairEvidence, link_weight: float) -> None:
    """Records of the rebuilt components checked against their entity as a whole.

    A record holding a strong identifier stays with it, and one a reviewer decided on
    stays where the decision put it. After moves, each entity is cut into the parts its
    remaining links hold together (a moved record may have been their only bridge), and
    links between parts are taken again strongest first, never across a conflict.
    """
    decided = np.zeros(len(bad), dtype=bool)
    decided[[x for pair in (*merge, *keep_apart) for x in pair]] = True
    movable = bad & (strong < 0) & ~decided
    labels = result.labels
    moved = reassign(labels, i, j, link, movable, bad, evidence, link_weight)
    moved += follow_identified(labels, i, j, probabilities, link & bad[i], movable,
                               bad & (strong >= 0), evidence, link_weight)
    if not moved:
        return
    members = np.flatnonzero(bad)
    inside = link & bad[i] & (labels[i] == labels[j])
    extra = [(a, b) for a, b in merge if bad[a] and labels[a] == labels[b]]
    parts_of = connected_components(
        len(bad), np.concatenate([i[inside], np.asarray([a for a, _ in extra], dtype=np.int64)]),
        np.concatenate([j[inside], np.asarray([b for _, b in extra], dtype=np.int64)]))
    parts = _Components(np.full(len(bad), -1, dtype=np.int64))
    for x in members.tolist():
        root = int(parts_of[x])
        parts.parent[x] = root
        if strong[x] >= 0:
            parts.strong[root] = int(strong[x])
    for a, b in keep_apart:
        parts.apart.setdefault(parts.find(a), set()).add(b)
        parts.apart.setdefault(parts.find(b), set()).add(a)
    edges = np.flatnonzero(link & bad[i] & (parts_of[i] != parts_of[j]))
    edges = edges[np.argsort(-probabilities[edges], kind="stable")]
    review: list[ReviewItem] = []
    for k, a, b in zip(edges.tolist(), i[edges].tolist(), j[edges].tolist(), strict=True):
        ra, rb = parts.find(a), parts.find(b)
        if ra == rb:
            continue
        reason = parts.conflict(ra, rb)
        if reason is not None:
            review.append(ReviewItem(k, reason))
            continue
        parts.union(ra, rb)
    labels[members] = [parts.find(x) for x in members.tolist()]
    result.review[:] = review
    result.links_taken = int((link & (labels[i] == labels[j])).sum())
