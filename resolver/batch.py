"""Batch resolution: rows in, entity per row out, with the scored pairs and review queue.

The stages are separate modules (frame → blocking → comparisons → training → predict →
clustering); this one only runs them in order for each kind of record. People and
enterprises are resolved apart: a row never links to a row of the other kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from resolver.arrays import CountMatrix, FloatArray, IntArray, LevelMatrix
from resolver.blocking import BlockingReport, candidate_pairs, rules_for
from resolver.clustering import Clusters, ReviewItem, cluster
from resolver.comparisons import comparison_matrix, comparisons_for, refresh_term_counts
from resolver.fields import ENTERPRISE_FIELDS, PERSON_NAME_FIELDS, Field
from resolver.frame import Frame, Kind, RawRow, build_frame, row_kind
from resolver.identifiers import parse_credit_code, parse_id_number
from resolver.model import MatchModel
from resolver.predict import match_probabilities, term_frequency_references
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
    """
    names = frozenset(f.value for f in PERSON_NAME_FIELDS | {Field.company_name})
    ordered = sorted(f.value for f in fields)
    first: dict[tuple[object, ...], int] = {}
    positions: list[int] = []
    representative = np.empty(len(of_kind), dtype=np.int64)
    strong: dict[tuple[str | None, str | None], bool] = {}  # parsed once per distinct value
    for local, row_index in enumerate(of_kind):
        row = rows[row_index]
        if _says_enough(row, names, strong):
            key = (sources[row_index], *map(row.get, ordered))
            if key in first:
                representative[local] = first[key]
                continue
            first[key] = len(positions)
        representative[local] = len(positions)
        positions.append(row_index)
    return np.asarray(positions, dtype=np.int64), representative


def _says_enough(row: RawRow, names: frozenset[str],
                 strong: dict[tuple[str | None, str | None], bool]) -> bool:
    if len([f for f, v in row.items() if v and f not in names]) >= 2:
        return True
    key = (row.get("id_number"), row.get("credit_code"))
    valid = strong.get(key)
    if valid is None:
        parsed = parse_id_number(key[0]) or parse_credit_code(key[1])
        valid = strong[key] = parsed is not None and parsed.valid
    return valid


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
    clusters = cluster(frame.n, i, j, probabilities, strong, options.link_threshold,
                       options.review_threshold, merge, keep_apart)
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
