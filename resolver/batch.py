"""Batch resolution: rows in, entity per row out, with the scored pairs and review queue.

The stages are separate modules (frame → blocking → comparisons → training → predict →
clustering); this one only runs them in order for each kind of record. People and
enterprises are resolved apart: a row never links to a row of the other kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from resolver.arrays import CountMatrix, FloatArray, IntArray, LevelMatrix, TextArray
from resolver.blocking import BlockingReport, candidate_pairs, rules_for
from resolver.clustering import Clusters, ReviewItem, cluster
from resolver.columns import Columns
from resolver.comparisons import comparison_matrix, comparisons_for, refresh_term_counts
from resolver.entity_fit import PairEvidence
from resolver.fields import ENTERPRISE_FIELDS, PERSON_NAME_FIELDS, Field
from resolver.forked import in_child
from resolver.frame import Frame, Kind, frame_of_columns, shared_columns
from resolver.identifiers import parse_credit_code, parse_id_number
from resolver.model import MatchModel
from resolver.predict import field_weights, match_probabilities, term_frequency_references
from resolver.training import TrainingOptions, random_sample, remeasured_u, set_u, train


@dataclass(frozen=True)
class ResolveOptions:
    link_threshold: float = 0.8
    review_threshold: float = 0.5
    max_block_size: int = 200
    window: int = 20
    default_area: str | None = "574"
    u_exclusion_threshold: float = 0.05
    training: TrainingOptions = field(default_factory=TrainingOptions)


@dataclass
class KindResult:
    """Everything batch resolution found for the rows of one kind."""

    frame: Frame
    rows: IntArray  # positions of these rows in the input
    model: MatchModel
    blocking: BlockingReport
    i: IntArray
    j: IntArray
    levels: LevelMatrix
    tf: CountMatrix
    probabilities: FloatArray
    clusters: Clusters

    @property
    def review(self) -> list[ReviewItem]:
        return self.clusters.review


@dataclass
class BatchResult:
    entity_ids: list[str]  # per input row
    kinds: dict[Kind, KindResult]

    @property
    def entity_count(self) -> int:
        return len(set(self.entity_ids))


def resolve_columns(
    record_ids: Sequence[str],
    columns: Columns,
    fields: frozenset[Field],
    sources: Sequence[int] | None = None,
    options: ResolveOptions | None = None,
) -> BatchResult:
    """Deduplicate (one source) or link (several sources) rows mapped to resolver fields,
    held as coded columns keyed by field name."""
    options = options or ResolveOptions()
    n = len(record_ids)
    source_array = np.asarray(sources if sources is not None else [0] * n, dtype=np.int64)
    link_only = np.unique(source_array).size > 1
    if not fields & ENTERPRISE_FIELDS or not fields & PERSON_NAME_FIELDS:
        only_enterprises = bool(fields & ENTERPRISE_FIELDS)
        enterprise = np.full(n, only_enterprises, dtype=bool)
    else:
        enterprise = _enterprise_rows(columns, n)
    entity_ids = np.empty(n, dtype=object)
    results: dict[Kind, KindResult] = {}
    for kind in ("person", "enterprise"):
        of_kind = np.flatnonzero(enterprise == (kind == "enterprise"))
        if not of_kind.size:
            continue
        mine = (columns if of_kind.size == n
                else {name: column.take(of_kind) for name, column in columns.items()})
        ids = [record_ids[k] for k in of_kind.tolist()] if of_kind.size < n else list(record_ids)
        # Phones and addresses start parsing (in a child, for many rows) before identical
        # rows are set aside: that takes this process a while and the child needs none of it.
        with shared_columns(kind, ids, mine, fields, options.default_area) as shared:
            kept, representative = collapse_identical(mine, source_array[of_kind], fields)
            positions = of_kind[kept]
            frame = frame_of_columns(
                kind, [ids[k] for k in kept.tolist()], source_array[positions],
                {name: column.take(kept) for name, column in mine.items()}, fields,
                options.default_area,
                _rows_of(shared, kept))
        result = resolve_frame(frame, positions, link_only, options)
        results[kind] = result
        entity_ids[of_kind] = _numbered("P" if kind == "person" else "E",
                                        result.clusters.labels[representative])
    return BatchResult(entity_ids.tolist(), results)


def _rows_of(columns: Callable[[], Columns], rows: IntArray) -> Callable[[], Columns]:
    """Columns to come, cut to these rows when they come."""
    return lambda: {name: column.take(rows) for name, column in columns().items()}


def _enterprise_rows(columns: Columns, n: int) -> npt.NDArray[np.bool_]:
    """A row is an enterprise when it names one and no person; otherwise a person."""
    def any_of(names: frozenset[Field]) -> npt.NDArray[np.bool_]:
        out = np.zeros(n, dtype=bool)
        for name in sorted(f.value for f in names):
            if name in columns:
                out |= columns[name].truthy()
        return out

    return any_of(ENTERPRISE_FIELDS) & ~any_of(PERSON_NAME_FIELDS)


def _numbered(prefix: str, labels: IntArray) -> TextArray:
    """Entity ids for cluster labels, numbered in order of each entity's first row."""
    _, first_seen, inverse = np.unique(labels, return_index=True, return_inverse=True)
    number = np.empty(first_seen.size, dtype=np.int64)
    number[np.argsort(first_seen)] = np.arange(first_seen.size)
    names = np.asarray([f"{prefix}{k + 1:07d}" for k in range(first_seen.size)], dtype=object)
    return np.asarray(names[number[inverse.reshape(-1)]])


def collapse_identical(
    columns: Columns, sources: IntArray, fields: frozenset[Field],
) -> tuple[IntArray, IntArray]:
    """Rows to resolve, and for every row the position among them of the row standing in
    for it.

    Rows identical in every field and input are resolved once: a department that names
    the same enterprise in a thousand cases would otherwise cost a million comparisons that
    all say the same. Only rows that say enough to be one entity are merged this way: those
    with a valid ID number or credit code, or with at least two fields besides a name.
    Two rows carrying nothing but the same name (张伟) stay apart: name alone never links.
    """
    names = frozenset(f.value for f in PERSON_NAME_FIELDS | {Field.company_name})
    ordered = [f.value for f in sorted(fields, key=lambda f: f.value) if f.value in columns]
    n = sources.size
    besides_name = sum((columns[f].truthy().astype(np.int64) for f in ordered if f not in names),
                       start=np.zeros(n, dtype=np.int64))
    enough = (besides_name >= 2) | _strong(columns, n)
    codes = _row_codes([sources, *(columns[f].codes for f in ordered)])
    first_of_code = np.full(int(codes.max()) + 1 if codes.size else 0, -1, dtype=np.int64)
    said = np.flatnonzero(enough)[::-1]  # reversed: the first row of each code is written last
    first_of_code[codes[said]] = said
    kept = ~enough | (first_of_code[codes] == np.arange(n))
    renumbered = np.cumsum(kept) - 1
    representative = np.where(enough, renumbered[first_of_code[codes]], renumbered)
    return np.flatnonzero(kept), np.asarray(representative, dtype=np.int64)


def _row_codes(parts: Sequence[IntArray]) -> IntArray:
    """One code per row, equal exactly where every part's code is equal (codes >= -1)."""
    key = np.zeros(parts[0].size, dtype=np.int64)
    for part in parts:
        width = int(part.max()) + 2 if part.size else 1
        if key.size and int(key.max()) >= (1 << 62) // width:  # would overflow: renumber
            key = np.unique(key, return_inverse=True)[1].reshape(-1)
        key = key * width + (part + 1)
    return np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)


def _strong(columns: Columns, n: int) -> npt.NDArray[np.bool_]:
    """Per row: does it hold a valid ID number or credit code?"""
    out = np.zeros(n, dtype=bool)
    for name, parse in (("id_number", parse_id_number), ("credit_code", parse_credit_code)):
        if name not in columns:
            continue
        column = columns[name]
        valid = [p is not None and p.valid for p in column.parsed(parse)]
        out |= np.append(np.asarray(valid, dtype=bool), False)[column.codes]
    return out


def resolve_frame(
    frame: Frame,
    positions: IntArray,
    link_only: bool,
    options: ResolveOptions,
    merge: Sequence[tuple[int, int]] = (),
    keep_apart: Sequence[tuple[int, int]] = (),
) -> KindResult:
    comparisons = comparisons_for(frame)
    rules = rules_for(frame)
    with random_sample(frame, comparisons, link_only, options.training) as drawn:
        found = candidate_pairs(frame, rules, options.max_block_size, options.window,
                                link_only)
        i, j = found.i, found.j
        levels, tf = comparison_matrix(frame, comparisons, i, j)
        sessions = [(found.by_rule[r.name], frozenset(r.uses)) for r in rules]
        decided = _decided_rows(frame.n, i, j, merge, keep_apart)
        model, sample = train(frame, comparisons, levels, sessions, link_only,
                              options.training, decided, drawn)
    strong_column = "id_strong" if frame.kind == "person" else "credit_strong"
    strong = (frame.codes(strong_column) if strong_column in frame.text
              else np.full(frame.n, -1, dtype=np.int64))
    probabilities = match_probabilities(model, levels, tf, frame.tf_size)

    def remeasured() -> list[FloatArray] | None:
        # u again, from random pairs that not even a permissive grouping puts together:
        # every match left among them makes agreeing look like something unrelated
        # records do.
        permissive = cluster(frame.n, i, j, probabilities,
                             np.full(frame.n, -1, dtype=np.int64),
                             options.u_exclusion_threshold, options.u_exclusion_threshold)
        return remeasured_u(model, sample, permissive.labels)

    # It needs only these probabilities, and what follows up to term_frequency_references
    # does not read u: with many pairs, a forked child does it meanwhile.
    many = i.size + sample.i.size >= REMEASURE_IN_CHILD_FROM
    with in_child(remeasured) if many else nullcontext(remeasured) as new_u:
        clusters = cluster(frame.n, i, j, probabilities, strong, options.link_threshold,
                           options.review_threshold, merge, keep_apart)
        # Second pass: term frequencies over the entities found rather than over records,
        # so a value is common only if many different entities hold it.
        frame.count_terms(clusters.labels)
        tf = refresh_term_counts(frame, comparisons, levels, i, j)
        set_u(model, new_u())
    term_frequency_references(model, levels, tf, frame.tf_size)
    probabilities = match_probabilities(model, levels, tf, frame.tf_size)
    evidence = PairEvidence(
        model.prior_weight,
        lambda pairs: field_weights(model, levels[pairs], tf[pairs], frame.tf_size),
        lambda a, b: field_weights(model, *comparison_matrix(frame, comparisons, a, b),
                                   frame.tf_size))
    clusters = cluster(frame.n, i, j, probabilities, strong, options.link_threshold,
                       options.review_threshold, merge, keep_apart, evidence)
    return KindResult(frame, positions, model, found.report, i, j, levels, tf, probabilities,
                      clusters)


REMEASURE_IN_CHILD_FROM = 400_000
"""Candidate and random pairs from which u is measured again in a forked child (below, the
fork costs about what it saves)."""


def _decided_rows(n: int, i: IntArray, j: IntArray, merge: Sequence[tuple[int, int]],
                  keep_apart: Sequence[tuple[int, int]]) -> dict[int, bool]:
    """Reviewers' decisions on candidate pairs, by row, for training (True: a match)."""
    encoded = i * n + j  # candidate pairs come sorted by this code
    decided: dict[int, bool] = {}
    for pairs, value in ((merge, True), (keep_apart, False)):
        for a, b in pairs:
            code = min(a, b) * n + max(a, b)
            at = int(np.searchsorted(encoded, code))
            if at < encoded.size and encoded[at] == code:
                decided[at] = value
    return decided
