"""Batch resolution of everything in a store, written back through the store port.

Every mention in every stored record is resolved together (the same stages as
`wutong resolve` on files), reviewers' decisions are obeyed, the result is reconciled
with the entities that already exist so their ids stay stable, and the links, merges,
splits and review items are written in one resolution step. The trained models are saved
so that record-by-record resolution uses the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from graph.chunks import chunked
from graph.entities import (
    Decision,
    EntityKind,
    EventType,
    MentionLink,
    ResolutionWrite,
    ReviewItem,
)
from graph.store import GraphStore, ResolvingStore
from resolver.arrays import IntArray
from resolver.batch import KindResult, ResolveOptions, resolve_frame
from resolver.blocking import record_keys, rules_with_columns
from resolver.frame import TF_COLUMNS, Frame, build_frame
from resolver.mentions import ENTERPRISE_FIELDS, PERSON_FIELDS, Mention, mentions_of
from resolver.predict import Explanation, explain_rows
from resolver.stable_ids import reconcile

KIND_FIELDS = {EntityKind.PERSON: PERSON_FIELDS, EntityKind.ENTERPRISE: ENTERPRISE_FIELDS}


@dataclass
class KindReport:
    kind: EntityKind
    mentions: int = 0
    entities: int = 0
    created: int = 0
    merged: int = 0
    split: int = 0
    review: int = 0
    model_version: str = ""


@dataclass
class StoreResolveReport:
    kinds: list[KindReport] = field(default_factory=list)


def collect_mentions(store: GraphStore) -> dict[EntityKind, list[Mention]]:
    found: dict[EntityKind, list[Mention]] = {k: [] for k in EntityKind}
    for stored in store.iter_records():
        for mention in mentions_of(stored.record):
            found[EntityKind(mention.kind)].append(mention)
    return found


def tf_keys(frame: Frame, row: int) -> list[str]:
    keys = []
    for column in TF_COLUMNS:
        if column in frame.text and frame.text[column][row] is not None:
            name = "phone" if column.startswith("phone_") else column
            keys.append(f"tf:{name}:{frame.text[column][row]}")
    return list(dict.fromkeys(keys))


def mention_frame(kind: EntityKind, mentions: Sequence[Mention], default_area: str | None
                  ) -> Frame:
    fields = KIND_FIELDS[kind]
    return build_frame(kind.value, [m.mention_id for m in mentions], [0] * len(mentions),
                       [{f.value: v for f, v in m.fields.items()} for m in mentions], fields,
                       default_area)


def resolve_store(
    store: ResolvingStore,
    options: ResolveOptions,
    models_dir: Path,
    progress: Callable[[str], None] = lambda _: None,
) -> StoreResolveReport:
    report = StoreResolveReport()
    by_kind = collect_mentions(store)
    constraints = store.reviewer_constraints()
    for kind, mentions in by_kind.items():
        if len(mentions) < 2:
            continue
        progress(f"{kind.value}: normalising {len(mentions):,} mentions")
        frame = mention_frame(kind, mentions, options.default_area)
        position = {m.mention_id: k for k, m in enumerate(mentions)}
        merge = [(position[c.left_mention], position[c.right_mention]) for c in constraints
                 if c.merge and c.left_mention in position and c.right_mention in position]
        apart = [(position[c.left_mention], position[c.right_mention]) for c in constraints
                 if not c.merge and c.left_mention in position and c.right_mention in position]
        progress(f"{kind.value}: blocking, training and scoring")
        result = resolve_frame(frame, np.arange(frame.n), False, options, merge, apart)
        result.model.save(models_dir / f"{kind.value}.json")
        progress(f"{kind.value}: writing entities")
        with store.resolution_lock():  # pushes resolved meanwhile would be overwritten
            report.kinds.append(_write(store, kind, mentions, result, options))
    return report


WRITE_STEP = 2_000
"""Links (or other items) per resolution write during a batch run. One transaction for a
whole run does not fit a database server's transaction memory (Neo4j holds about 23 KB per
new link until commit), so a batch run writes in steps: new entities, then links, then
merges, events and review items. Each step is atomic and a rerun repeats them idempotently
(upserts by id); an interrupted run leaves some mentions on their previous entity until the
next run."""


def write_in_steps(store: ResolvingStore, change: ResolutionWrite, step: int = WRITE_STEP
                   ) -> None:
    """Write `change` step by step; its links are left out (`_write_links` writes those
    as they are built)."""
    for entities in chunked(change.new_entities, step):
        store.write_resolution(ResolutionWrite(new_entities=entities))
    rest = ResolutionWrite(merges=change.merges, moves=change.moves,
                           constraints=change.constraints, review_updates=change.review_updates)
    store.write_resolution(rest)
    for events in chunked(change.events, step):
        store.write_resolution(ResolutionWrite(events=events))
    for reviews in chunked(change.reviews, step):
        store.write_resolution(ResolutionWrite(reviews=reviews))


def _write_links(store: ResolvingStore, links: list[MentionLink], new: bool) -> None:
    """Write `links` as one resolution step and empty the list."""
    if links:
        store.write_resolution(ResolutionWrite(links=list(links), links_are_new=new))
        links.clear()


def _best_pair_per_record(result: KindResult) -> tuple[IntArray, IntArray]:
    """For each record, its highest-probability pair inside its own cluster (or -1)."""
    labels = result.clusters.labels
    inside = np.flatnonzero(labels[result.i] == labels[result.j])
    best = np.full(result.frame.n, -1, dtype=np.int64)
    other = np.full(result.frame.n, -1, dtype=np.int64)
    order = inside[np.argsort(result.probabilities[inside], kind="stable")]
    # Ascending order: later (stronger) pairs overwrite earlier ones.
    best[result.i[order]] = order
    other[result.i[order]] = result.j[order]
    best[result.j[order]] = order
    other[result.j[order]] = result.i[order]
    return best, other


def _write(store: ResolvingStore, kind: EntityKind, mentions: Sequence[Mention],
           result: KindResult, options: ResolveOptions) -> KindReport:
    frame = result.frame
    previous = store.mention_assignments(kind)
    # A mention id does not name its kind: a newer version of a record may turn a party
    # from a person into an enterprise, and its mention is then stored under the other kind.
    # Only ids stored under neither are new to the store.
    stored = set(previous).union(*(store.mention_assignments(other)
                                   for other in EntityKind if other is not kind))
    groups = {m.mention_id: int(result.clusters.labels[k]) for k, m in enumerate(mentions)}
    ids = reconcile(groups, previous, lambda n: store.allocate_entity_ids(kind, n))
    version = result.model.version
    now = datetime.now(UTC)
    change = ResolutionWrite()
    change.new_entities = [(e, kind) for e in ids.created] + [(new, kind) for _, new in ids.splits]
    write_in_steps(store, ResolutionWrite(new_entities=change.new_entities))
    change.new_entities = []
    best, other = _best_pair_per_record(result)
    rules = rules_with_columns(frame)
    # Mentions never resolved before are written apart from the others: `stored` was
    # read under the resolution lock, so they are known to be new and the store can create
    # them without looking for an earlier link.
    fresh: list[MentionLink] = []
    known: list[MentionLink] = []
    evidence_of: dict[int, Explanation] = {}
    for k, mention in enumerate(mentions):
        if k % WRITE_STEP == 0:  # explained a step at a time: memory stays one step's
            step = np.arange(k, min(k + WRITE_STEP, len(mentions)))
            linked = step[best[step] >= 0]
            evidence_of = dict(zip(linked.tolist(), explain_rows(
                result.model, result.levels[best[linked]], result.tf[best[linked]],
                frame.tf_size), strict=True))
        entity_id = ids.entity_of_group[groups[mention.mention_id]]
        pair = int(best[k])
        evidence: dict[str, object] = {}
        score = 0.0
        if pair >= 0:
            score = float(result.probabilities[pair])
            evidence = evidence_of[k].as_dict()
            evidence["against"] = mentions[int(other[k])].mention_id
        decision = Decision.LINK if pair >= 0 else Decision.NEW
        links = known if mention.mention_id in stored else fresh
        links.append(MentionLink(
            mention.mention_id, mention.record_key[0], mention.record_key[1], mention.slot, kind,
            entity_id, decision, score, evidence, version, now,
            {f.value: v for f, v in mention.fields.items()},
            tuple(record_keys(frame, k, rules) + tf_keys(frame, k))))
        if len(links) >= WRITE_STEP:  # links are built and written a step at a time
            _write_links(store, links, links is fresh)
    _write_links(store, fresh, True)
    _write_links(store, known, False)
    for absorbed, survivor in ids.merges:
        change.event(EventType.MERGED, survivor, absorbed, (), "batch resolution", version)
    for source, part in ids.splits:
        change.event(EventType.SPLIT, source, part, (), "batch resolution", version)
    for entity_id in ids.created:
        change.event(EventType.CREATED, entity_id, None, (), "batch resolution", version)
    review_pairs = np.asarray([item.pair for item in result.review], dtype=np.int64)
    review_evidence = explain_rows(result.model, result.levels[review_pairs],
                                   result.tf[review_pairs], frame.tf_size)
    for item, explained in zip(result.review, review_evidence, strict=True):
        a, b = int(result.i[item.pair]), int(result.j[item.pair])
        left, right = sorted((mentions[a].mention_id, mentions[b].mention_id))
        change.reviews.append(ReviewItem(
            review_id=f"{left}~{right}", kind=kind, left_mention=left, right_mention=right,
            probability=float(result.probabilities[item.pair]), reason=item.reason.value,
            evidence=explained.as_dict()))
    write_in_steps(store, change)
    return KindReport(kind, len(mentions), len(set(ids.entity_of_group.values())),
                      len(ids.created), len(ids.merges), len(ids.splits), len(result.review),
                      version)
