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
    # The same for any two records (i[k], j[k]), scored or not.
    weights_between: Callable[[IntArray, IntArray], FloatArray]


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
        moved += _move_to_best(labels, record[candidate], entity[candidate], score[candidate])
    return moved


def _move_to_best(labels: IntArray, record: IntArray, entity: IntArray, score: FloatArray
                  ) -> int:
    """Give each record (in place in `labels`) its highest-scoring entity among the
    (record, entity, score) rows; the number of records moved."""
    order = np.lexsort((-score, record))
    best_record, best_entity = record[order], entity[order]
    first = np.r_[True, best_record[1:] != best_record[:-1]]
    labels[best_record[first]] = best_entity[first]
    return int(first.sum())


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


TIE = 1e-9
"""Fits closer than this (bits) are equal: the same weights summed in another order."""

MAX_IDENTIFIED = 64
"""Identified records per entity a record is compared with: enough to show how the entity
usually writes its name, few enough that an entity named a thousand times costs little."""


def evenly_spread(size: int) -> IntArray:
    """Which of an entity's `size` identified records are compared: at most
    MAX_IDENTIFIED, every step-th (as `identified_sample` picks them)."""
    step = max(-(-size // MAX_IDENTIFIED), 1)
    return np.arange(0, size, step, dtype=np.int64)


def identified_sample(labels: IntArray, held: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
    """Records holding a strong identifier, grouped by entity (at most MAX_IDENTIFIED each,
    evenly spread over the entity's): (records, first position per entity, count per entity),
    the last two indexed by entity label (count 0 for an entity with none)."""
    records = np.flatnonzero(held)
    records = records[np.argsort(labels[records], kind="stable")]
    owner = labels[records]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if records.size else records
    sizes = np.diff(np.r_[starts, records.size])
    rank = np.arange(records.size) - np.repeat(starts, sizes)
    step = np.repeat(-(-sizes // MAX_IDENTIFIED), sizes)
    records = records[rank % step == 0]
    owner = labels[records]
    first = np.zeros(labels.size, dtype=np.int64)
    count = np.zeros(labels.size, dtype=np.int64)
    if records.size:
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        first[owner[starts]] = starts
        count[owner[starts]] = np.diff(np.r_[starts, records.size])
    return records, first, count


def follow_identified(labels: IntArray, i: IntArray, j: IntArray, probabilities: FloatArray,
                      link: BoolArray, movable: BoolArray, held: BoolArray,
                      evidence: PairEvidence, link_weight: float) -> int:
    """Where a `movable` record's strongest link to another entity is as strong as its
    strongest to its own entity's identified records, move it (in place) to the one whose
    identified records it fits best; the number of moves.

    Candidate pairs are a sample drawn by blocking, and where a name is common the sample
    holds mostly records written exactly alike: a mention `信联物业服务有限责任公司` is
    compared with the few records of each look-alike company written that way, ties at
    0.995 with both, and strongest-first takes whichever comes first. Compared with the
    records that carry each entity's identifier — all of them, not only those blocking
    paired it with — the mention is judged on how each entity usually writes its name;
    identified records never move, so a group of alike mentions cannot vote for itself.
    Nor can such a group hold itself in place: homophones `宁波信连物业服务有限责任公司`,
    linked to each other above any link to either company, went with the group wherever
    its first link took it. Pairs still decide first: an entity the record links to less
    strongly than to its own's identified records does not compete, unless the record does
    not fit its own entity's identified records (below the link threshold): mentions
    giving a parent's name and its branch's address link most strongly to each other and
    to a parent record holding only the name, and held each other with the parent although
    every parent address disagrees. Only entities with identified records take part.
    """
    links = np.flatnonzero(link & (movable[i] | movable[j]))
    if links.size == 0 or not held.any():
        return 0
    left, right = i[links], j[links]
    from_left, from_right = movable[left], movable[right]
    record = np.concatenate([left[from_left], right[from_right]])
    entity = np.concatenate([labels[right[from_left]], labels[left[from_right]]])
    strength = np.concatenate([probabilities[links][from_left],
                               probabilities[links][from_right]])
    partner_held = np.concatenate([held[right[from_left]], held[left[from_right]]])
    size = labels.size
    keys, inverse = np.unique(record * size + entity, return_inverse=True)
    strongest = np.zeros(keys.size)
    np.maximum.at(strongest, inverse, strength)
    # Only links to identified records hold a record to its own entity (see above).
    strongest_held = np.zeros(keys.size)
    np.maximum.at(strongest_held, inverse, np.where(partner_held, strength, 0.0))
    record, entity = keys // size, keys % size
    own_link = np.zeros(size)
    mine = entity == labels[record]
    own_link[record[mine]] = strongest_held[mine]
    anchors, first, count = identified_sample(labels, held)
    # Every linked entity is scored; the others compete where linked at least as strongly,
    # or where the record does not fit its own entity's identified records (below).
    as_strong = strongest >= own_link[record]
    scored = count[entity] > 0
    record, entity, as_strong = record[scored], entity[scored], as_strong[scored]
    repeats = count[entity]
    owner = np.repeat(record, repeats)
    if owner.size == 0:
        return 0
    offset = np.arange(owner.size) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    other = anchors[np.repeat(first[entity], repeats) + offset]
    weights = evidence.weights_between(owner, other)
    keys, score = entity_scores(owner, labels[other], weights, evidence.prior_weight, size)
    strong_enough = np.zeros(keys.size, dtype=bool)
    strong_enough[np.searchsorted(keys, record * size + entity)] = as_strong
    record, entity = keys // size, keys % size
    mine = entity == labels[record]
    current = np.full(size, np.inf)
    current[record[mine]] = score[mine]
    candidate = ~mine & (score >= link_weight) & (score > current[record] + TIE)
    candidate &= strong_enough | (current[record] < link_weight)
    if not candidate.any():
        return 0
    return _move_to_best(labels, record[candidate], entity[candidate], score[candidate])
