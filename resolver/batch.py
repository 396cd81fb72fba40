"""Batch resolution: rows in, entity per row out, with the scored pairs and review queue.

The stages are separate modules (frame → blocking → comparisons → training → predict →
clustering); this one only runs them in order for each kind of record. People and
enterprises are resolved apart: a row never links to a row of the other kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from resolver.arrays import CountMatrix, FloatArray, IntArray, LevelMatrix
from resolver.blocking import BlockingReport, candidate_pairs, rules_for
from resolver.clustering import Clusters, ReviewItem, cluster
from resolver.comparisons import comparison_matrix, comparisons_for, refresh_term_counts
from resolver.entity_fit import PairEvidence
from resolver.fields import ENTERPRISE_FIELDS, PERSON_NAME_FIELDS, Field
from resolver.frame import Frame, Kind, RawRow, build_frame, encode, row_kind
from resolver.identifiers import parse_credit_code, parse_id_number
from resolver.model import MatchModel
from resolver.predict import field_weights, match_probabilities, term_frequency_references
from resolver.training import TrainingOptions, remeasure_u, train


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


def resolve_rows(
    record_ids: Sequence[str],
    rows: Sequence[RawRow],
    fields: frozenset[Field],
    sources: Sequence[int] | None = None,
    options: ResolveOptions | None = None,
) -> BatchResult:
    """Deduplicate (one source) or link (several sources) rows mapped to resolver fields."""
    options = options or ResolveOptions()
    sources = sources if sources is not None else [0] * len(rows)
    link_only = len(set(sources)) > 1
    if not fields & ENTERPRISE_FIELDS or not fields & PERSON_NAME_FIELDS:
        only: Kind = "enterprise" if fields & ENTERPRISE_FIELDS else "person"
        kinds = [only] * len(rows)
    else:
        kinds = [row_kind(row) for row in rows]
    entity_ids = [""] * len(rows)
    results: dict[Kind, KindResult] = {}
    for kind in ("person", "enterprise"):
        of_kind = [k for k, v in enumerate(kinds) if v == kind]
        if not of_kind:
            continue
        positions, representative = collapse_identical(of_kind, rows, sources, fields)
        frame = build_frame(
            kind, [record_ids[k] for k in positions], [sources[k] for k in positions],
            [rows[k] for k in positions], fields, options.default_area)
        result = resolve_frame(frame, positions, link_only, options)
        results[kind] = result
        prefix = "P" if kind == "person" else "E"
        labels = result.clusters.labels[representative]
        _, first_seen = np.unique(labels, return_index=True)
        numbering = {int(labels[k]): n for n, k in enumerate(sorted(first_seen))}
        for local, row in enumerate(of_kind):
            entity_ids[row] = f"{prefix}{numbering[int(labels[local])] + 1:07d}"
    return BatchResult(entity_ids, results)


def collapse_identical(
    of_kind: Sequence[int], rows: Sequence[RawRow], sources: Sequence[int],
    fields: frozenset[Field],
) -> tuple[IntArray, IntArray]:
    """Rows to resolve, and for every row of this kind the position of the row standing in
    for it.

    Rows identical in every field and input are resolved once: a department that names
    the same enterprise in a thousand cases would otherwise cost a million comparisons that
    all say the same. Only rows that say enough to be one entity are merged this way: those
    with a valid ID number or credit code, or with at least two fields besides a name.
    Two rows carrying nothing but the same name (张伟) stay apart: name alone never links.
    Rows hold the mapped `fields` only (as resolver.tables reads them).
    """
    names = frozenset(f.value for f in PERSON_NAME_FIELDS | {Field.company_name})
    ordered = sorted(f.value for f in fields)
    members = np.asarray(of_kind, dtype=np.int64)
    columns = {f: [rows[k].get(f) for k in members.tolist()] for f in ordered}
    # Column-wise: a million rows cost a few passes in C rather than a Python loop.
    besides_name = sum((np.fromiter(map(bool, columns[f]), dtype=np.int64, count=members.size)
                        for f in ordered if f not in names),
                       start=np.zeros(members.size, dtype=np.int64))
    enough = (besides_name >= 2) | _strong(columns, members.size)
    codes = encode(zip(np.asarray(sources, dtype=np.int64)[members].tolist(),
                       *columns.values(), strict=True))
    first_of_code = np.full(int(codes.max()) + 1 if codes.size else 0, -1, dtype=np.int64)
    said = np.flatnonzero(enough)[::-1]  # reversed: the first row of each code is written last
    first_of_code[codes[said]] = said
    kept = ~enough | (first_of_code[codes] == np.arange(members.size))
    renumbered = np.cumsum(kept) - 1
    representative = np.where(enough, renumbered[first_of_code[codes]], renumbered)
    return members[kept], np.asarray(representative, dtype=np.int64)


def _strong(columns: dict[str, list[str | None]], n: int) -> npt.NDArray[np.bool_]:
    """Per row: does it hold a valid ID number or credit code (parsed once per value)?"""
    out = np.zeros(n, dtype=bool)
    for column, parse in (("id_number", parse_id_number), ("credit_code", parse_credit_code)):
        if column not in columns:
            continue
        values = columns[column]
        distinct = list(dict.fromkeys(values))
        valid = {v: v is not None and (p := parse(v)) is not None and p.valid
                 for v in distinct}
        out |= np.fromiter(map(valid.__getitem__, values), dtype=bool, count=n)
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
    found = candidate_pairs(frame, rules, options.max_block_size, options.window, link_only)
    i, j = found.i, found.j
    levels, tf = comparison_matrix(frame, comparisons, i, j)
    sessions = [(found.by_rule[r.name], frozenset(r.uses)) for r in rules]
    decided = _decided_rows(frame.n, i, j, merge, keep_apart)
    model, sample = train(frame, comparisons, levels, sessions, link_only, options.training,
                          decided)
    strong_column = "id_strong" if frame.kind == "person" else "credit_strong"
    strong = (frame.codes(strong_column) if strong_column in frame.text
              else np.full(frame.n, -1, dtype=np.int64))
    probabilities = match_probabilities(model, levels, tf, frame.tf_size)
    clusters = cluster(frame.n, i, j, probabilities, strong, options.link_threshold,
                       options.review_threshold, merge, keep_apart)
    # Second pass: term frequencies over the entities found rather than over records, so a
    # value is common only if many different entities hold it.
    # u again, from random pairs that not even a permissive grouping puts together: every
    # match left among them makes agreeing look like something unrelated records do.
    permissive = cluster(frame.n, i, j, probabilities, np.full(frame.n, -1, dtype=np.int64),
                         options.u_exclusion_threshold, options.u_exclusion_threshold)
    remeasure_u(model, sample, permissive.labels)
    frame.count_terms(clusters.labels)
    tf = refresh_term_counts(frame, comparisons, levels, i, j)
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
