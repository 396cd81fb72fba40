"""How well a record fits an entity as a whole, and moving records that fit another better.

Strongest-first clustering decides by single pairs. A pair where one record holds only a
name says nothing about the fields that record lacks, so its probability can top that of
a pair which agrees on more: a department's record naming a branch by its parent's name,
with the branch's address, links at 0.9997 to the parent's bare-name records and at 0.999
to the branch's own. Taken first, the bare-name link puts it with the parent, although
every parent record that holds an address disagrees with it.

Compared with the entity as a whole — per field, the mean weight of its pairs with the
entity's records that hold that field, plus the prior — the record is judged on every field
the entity is known by, each counted once however many records repeat it. A record that,
so judged, falls below the link threshold of its own entity moves to the linked entity it
fits best, if it fits that one above the threshold. One that fits its entity stays, even if
another fits slightly better: a pair sample drawn by blocking is no census of an entity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from resolver.arrays import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class PairEvidence:
    """The prior's log-odds, and per scored pair each comparison's weight (its level's,
    plus the term-frequency adjustment; NaN where the field is missing on either side)."""

    prior_weight: float
    field_weights: Callable[[IntArray], FloatArray]


MAX_PASSES = 10
"""Moves change which entity others are compared with; a few passes settle them."""


def entity_scores(owner: IntArray, entity: IntArray, weights: FloatArray, prior_weight: float,
                  size: int) -> tuple[IntArray, FloatArray]:
    """Per distinct (owner record, entity) pair: a key (owner * size + entity) and the
    match weight of the record against the entity: prior + per field the mean weight over
    the pairs where the field is present (a field no pair holds adds nothing)."""
    keys, inverse = np.unique(owner * size + entity, return_inverse=True)
    score = np.full(keys.size, prior_weight, dtype=np.float64)
    for c in range(weights.shape[1]):
        column = weights[:, c]
        present = ~np.isnan(column)
        counts = np.bincount(inverse, weights=present, minlength=keys.size)
        sums = np.bincount(inverse, weights=np.where(present, column, 0.0), minlength=keys.size)
        score += np.divide(sums, counts, out=np.zeros(keys.size), where=counts > 0)
    return keys, score


def reassign(labels: IntArray, i: IntArray, j: IntArray, link: BoolArray, movable: BoolArray,
             scope: BoolArray, evidence: PairEvidence, link_weight: float) -> int:
    """Move `movable` records (in place in `labels`) that fit their entity below the link
    threshold to the linked entity they fit best above it; the number of moves.

    Only pairs with both records in `scope` count (an entity's records are all in it).
    """
    pairs = np.flatnonzero(scope[i] & scope[j] & (movable[i] | movable[j]))
    if pairs.size == 0:
        return 0
    weights = evidence.field_weights(pairs)
    left, right = i[pairs], j[pairs]
    from_left, from_right = movable[left], movable[right]
    owner = np.concatenate([left[from_left], right[from_right]])
    other = np.concatenate([right[from_left], left[from_right]])
    weights = np.concatenate([weights[from_left], weights[from_right]])
    linked = np.concatenate([link[pairs][from_left], link[pairs][from_right]])
    size = labels.size
    moved = 0
    for _ in range(MAX_PASSES):
        keys, score = entity_scores(owner, labels[other], weights, evidence.prior_weight, size)
        has_link = np.bincount(np.searchsorted(keys, owner * size + labels[other]),
                               weights=linked, minlength=keys.size) > 0
        record, entity = keys // size, keys % size
        own = entity == labels[record]
        current = np.full(size, np.inf)
        current[record[own]] = score[own]
        # Records that fit their own entity stay; the others may go where they fit best.
        candidate = ~own & has_link & (score >= link_weight) & (current[record] < link_weight)
        candidate &= score > current[record]
        if not candidate.any():
            break
        order = np.lexsort((-score[candidate], record[candidate]))
        best_record, best_entity = record[candidate][order], entity[candidate][order]
        first = np.r_[True, best_record[1:] != best_record[:-1]]
        labels[best_record[first]] = best_entity[first]
        moved += int(first.sum())
    return moved


def best_fitting_first(entities: list[int], best_weight: FloatArray, fit: FloatArray,
                       link_weight: float) -> list[int]:
    """Entities ranked by their strongest pair with a record (`best_weight`, by entity),
    with the batch rule applied to the first: when the record fits it below the link
    threshold as a whole, the linked entity it fits best above the threshold goes first."""
    if not entities or fit[entities[0]] >= link_weight:
        return entities
    better = [e for e in entities[1:] if best_weight[e] >= link_weight
              and fit[e] >= link_weight]
    if not better:
        return entities
    chosen = max(better, key=lambda e: float(fit[e]))
    return [chosen, *(e for e in entities if e != chosen)]
