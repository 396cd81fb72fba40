"""Record-by-record resolution: one newly pushed record against the stored entities.

The same model and thresholds as batch. For each mention of the record: its blocking keys
find candidate mentions through the store's index; the mention and its candidates form a
small frame, compared with the batch comparisons and scored with the saved model (term
frequencies come from the store, counted over entities). Then one of three outcomes:
link to the best entity, start a new entity, or start one and queue the best candidate
for review. A mention that links several entities above the threshold merges them, unless
their strong identifiers disagree. Reading candidates and writing the outcome are one
`resolution_step` of the store (under its resolution lock, so two concurrent pushes of one
person cannot both create an entity for them); the step asks what it needs first in one
`step_context` call, and reads an entity's members at most once, since on a server store
each call is a round trip.

Reviewers' decisions (`ReviewerConstraint`s) beat scores: a mention a reviewer merged with
another follows that mention's entity (unless a new version of it carries a valid ID number
or credit code other than that entity's: two different valid identifiers never merge); an
entity holding a mention a reviewer kept apart from this one is never linked, nor merged
with an entity it was kept apart from, nor queued for review again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from graph.entities import (
    Candidate,
    Decision,
    EntityKind,
    EventType,
    MentionLink,
    ResolutionWrite,
    ReviewerConstraint,
    ReviewItem,
    StepContext,
)
from graph.records import CanonicalRecord
from graph.store import ResolvingStore
from resolver.arrays import CountMatrix, FloatArray, LevelMatrix
from resolver.batch import ResolveOptions
from resolver.blocking import record_keys, rules_with_columns
from resolver.comparisons import comparison_matrix, comparisons_named
from resolver.entity_fit import TIE, best_fitting_first, entity_scores, evenly_spread
from resolver.fields import Field
from resolver.frame import PHONE_COLUMNS, TF_COLUMNS, Frame
from resolver.identifiers import parse_credit_code, parse_id_number
from resolver.mentions import Mention, mentions_of
from resolver.model import MatchModel, ModelFileError, weight_of
from resolver.predict import explain, field_weights, match_probabilities
from resolver.store_resolution import mention_frame, tf_keys

DEFAULT_MODELS = Path(__file__).parent / "default_models"
logger = logging.getLogger(__name__)


TF_MIN_ENTITIES = 1_000
"""Stored entities of a kind from which record-by-record resolution adjusts for how common
a value is."""


class NoModel(FileNotFoundError):
    """No trained model for a kind, and none shipped."""


def load_models(models_dir: Path) -> dict[EntityKind, MatchModel]:
    """The models the last batch run saved, else the ones shipped with Wutong. A saved
    model trained with an earlier version's comparison levels is passed over (with a
    warning) for the shipped one, so an upgraded service still starts; the next
    `wutong resolve` retrains it."""
    models = {}
    for kind in EntityKind:
        for folder in (models_dir, DEFAULT_MODELS):
            path = folder / f"{kind.value}.json"
            if not path.exists():
                continue
            model = MatchModel.load(path)
            if folder != DEFAULT_MODELS:
                try:
                    check_model(model)
                except ModelFileError as exc:
                    logger.warning("%s: %s; using the shipped model until then", path, exc)
                    continue
            models[kind] = model
            break
        else:
            raise NoModel(f"no {kind.value} model in {models_dir} or {DEFAULT_MODELS}; "
                          "run `wutong resolve` once over loaded records to train one")
    return models


@dataclass(frozen=True)
class MentionOutcome:
    mention_id: str
    entity_id: str
    decision: Decision
    score: float
    merged: tuple[str, ...] = ()  # entities this mention's arrival merged into entity_id


class OnlineResolver:
    def __init__(self, store: ResolvingStore, models: dict[EntityKind, MatchModel],
                 options: ResolveOptions | None = None, candidates_per_key: int = 50) -> None:
        self.store = store
        self.models = models
        for model in models.values():
            check_model(model)
        # A model's version hashes its whole content: computed once, not per push.
        self.versions = {kind: model.version for kind, model in models.items()}
        self.options = options or ResolveOptions()
        self.per_key = candidates_per_key

    def resolve_record(self, record: CanonicalRecord) -> list[MentionOutcome]:
        return [self.resolve_mention(m) for m in mentions_of(record)]

    def resolve_mention(self, mention: Mention) -> MentionOutcome:
        kind = EntityKind(mention.kind)
        alone = mention_frame(kind, [mention], self.options.default_area)
        keys = record_keys(alone, 0, rules_with_columns(alone))
        counted = tf_keys(alone, 0)  # the pushed values whose frequencies scoring may use
        return self.store.resolution_step(
            lambda: _Step(self, kind, mention, keys, counted).run())


class _Step:
    """One mention's resolution, run inside the store's resolution_step (possibly more than
    once: it keeps nothing between runs but what it reads again)."""

    def __init__(self, resolver: OnlineResolver, kind: EntityKind, mention: Mention,
                 keys: list[str], counted: list[str]) -> None:
        self.store = resolver.store
        self.model = resolver.models[kind]
        self.version = resolver.versions[kind]
        self.options = resolver.options
        self.per_key = resolver.per_key
        self.kind, self.mention, self.keys, self.counted = kind, mention, keys, counted
        self.link_keys = tuple(keys + counted)
        self._members: dict[str, list[MentionLink]] = {}

    def run(self) -> MentionOutcome:
        mention = self.mention
        context = self.store.step_context(self.kind, mention.mention_id, self.keys,
                                          self.per_key, self.counted)
        existing = context.link
        if existing is not None and existing.fields == _plain(mention):
            return MentionOutcome(mention.mention_id, existing.entity_id, existing.decision,
                                  existing.score)
        return self._resolve(context)

    def members(self, entity_id: str) -> list[MentionLink]:
        """An entity's members, read once per step (the step holds the lock: they stay)."""
        if entity_id not in self._members:
            self._members[entity_id] = self.store.entity_members(entity_id)
        return self._members[entity_id]

    def _resolve(self, context: StepContext) -> MentionOutcome:
        kind, mention, model = self.kind, self.mention, self.model
        constraints = list(context.constraints)
        followed = _reviewer_merge(mention.mention_id, constraints)
        if followed is not None:
            target = self.store.mention_link(followed.right_mention
                                             if followed.left_mention == mention.mention_id
                                             else followed.left_mention)
            if target is not None and not self._conflicts(target.entity_id):
                return self._follow_reviewer(target.entity_id, followed)
            # A new version carrying another valid identifier than the reviewer's entity
            # holds is resolved like any mention (never linked to that entity).
        apart = _apart_partners(constraints)
        candidates = [c for c in context.candidates if c.mention_id != mention.mention_id]
        if not candidates:
            return self._new_entity(context.link, None)
        frame = mention_frame(kind, [mention, *[_as_mention(c) for c in candidates]],
                              self.options.default_area)
        _store_term_frequencies(frame, context)
        comparisons = comparisons_named([c.name for c in model.comparisons])
        i = np.zeros(len(candidates), dtype=np.int64)
        j = np.arange(1, len(candidates) + 1, dtype=np.int64)
        levels, tf = comparison_matrix(frame, comparisons, i, j)
        probabilities = match_probabilities(model, levels, tf, frame.tf_size)
        best: dict[str, int] = {}
        for k, candidate in enumerate(candidates):
            entity = candidate.entity_id
            if entity not in best or probabilities[k] > probabilities[best[entity]]:
                best[entity] = k
        ranked = self._ranked(model, levels, tf, frame, candidates, probabilities, best)
        members: dict[str, set[str]] = {}
        if apart:
            members = {entity: {m.mention_id for m in self.members(entity)}
                       for entity, _ in ranked}
            mine = apart.get(mention.mention_id, set())
            ranked = [(e, k) for e, k in ranked if not mine & members[e]]
            if not ranked:
                return self._new_entity(context.link, None)
        held = {s for s in [strong_identifier(kind, mention.fields)] if s}
        if not held and mention.mention_id not in apart:
            ranked = self._follow_identified(ranked, candidates, probabilities, context)
        linkable: list[str] = []
        conflicts: list[int] = []
        for entity, k in ranked:
            if probabilities[k] < self.options.link_threshold:
                break
            # Never let one entity end up with two different strong identifiers.
            if apart and any(_kept_apart(members[entity], members[other], apart)
                             for other in linkable):
                continue  # a reviewer said these two entities are different
            combined = held | self._entity_strong_ids(entity)
            if len(combined) > 1:
                conflicts.append(k)
            else:
                linkable.append(entity)
                held = combined
        evidence_of = {k: explain(model, levels[k], tf[k], frame.tf_size).as_dict()
                       for k in {b for _, b in ranked[:1]} | set(conflicts)}
        if linkable:
            k = best[linkable[0]]
            evidence = evidence_of.get(k) or explain(model, levels[k], tf[k],
                                                     frame.tf_size).as_dict()
            evidence["against"] = candidates[k].mention_id
            return self._link(linkable, float(probabilities[k]), evidence,
                              [(candidates[c], probabilities[c], evidence_of[c])
                               for c in conflicts])
        review = None
        top = ranked[0][1]
        if probabilities[top] >= self.options.review_threshold or conflicts:
            k = conflicts[0] if conflicts else top
            review = (candidates[k], float(probabilities[k]), evidence_of[k],
                      "conflicting identifiers" if conflicts else "uncertain")
        return self._new_entity(context.link, review)

    def _ranked(self, model: MatchModel, levels: LevelMatrix, tf: CountMatrix, frame: Frame,
                candidates: list[Candidate], probabilities: FloatArray, best: dict[str, int]
                ) -> list[tuple[str, int]]:
        """Candidate entities, strongest pair first, unless the mention fits the first as a
        whole below the link threshold and another linked one above it (as in batch)."""
        ranked = sorted(best.items(), key=lambda item: -probabilities[item[1]])
        names = [entity for entity, _ in ranked]
        index = {entity: e for e, entity in enumerate(names)}
        owner = np.zeros(len(candidates), dtype=np.int64)
        entity_of = np.asarray([index[c.entity_id] for c in candidates], dtype=np.int64)
        keys, fit = entity_scores(owner, entity_of, field_weights(model, levels, tf,
                                                                  frame.tf_size),
                                  model.prior_weight, len(names))
        by_entity = np.empty(len(names))
        by_entity[keys] = fit
        strongest = np.asarray([weight_of(float(probabilities[k])) for _, k in ranked])
        order = best_fitting_first(list(range(len(names))), strongest, by_entity,
                                   weight_of(self.options.link_threshold))
        return [ranked[e] for e in order]

    def _follow_identified(self, ranked: list[tuple[str, int]], candidates: list[Candidate],
                           probabilities: FloatArray, context: StepContext
                           ) -> list[tuple[str, int]]:
        """Batch's tie rule (entity_fit.follow_identified): where the mention links
        another entity at least as strongly as the first one's identified records, the
        entity whose identified records it fits best goes first. (Batch also lets every
        linked entity compete where the record fits its own entity's identified records
        below the threshold; not done here yet.)

        The candidates are a sample drawn by blocking keys (at most `per_key` a key), so
        between look-alike companies the pairs tie and the order the store returned them in
        decided. Each competing entity's identified members (those holding a valid credit
        code or ID number, up to entity_fit.MAX_IDENTIFIED evenly spread) are compared with
        the mention as a whole, as batch does; the first one is replaced only by an entity
        it fits above the link threshold and better. Entities without identified members
        do not compete.
        """
        link = self.options.link_threshold
        first, top = ranked[0]
        if probabilities[top] < link:
            return ranked
        kind = self.kind
        own = max((float(probabilities[k]) for k, c in enumerate(candidates)
                   if c.entity_id == first and strong_identifier(kind, c.fields) is not None),
                  default=0.0)
        rivals = [e for e, k in ranked[1:] if probabilities[k] >= max(link, own)]
        if not rivals:
            return ranked
        anchors = {e: self._identified(e) for e in [first, *rivals]}
        competing = [e for e in rivals if anchors[e]]
        if not anchors[first] or not competing:
            return ranked
        pool = [first, *competing]
        others = [(e, a) for e, entity in enumerate(pool) for a in anchors[entity]]
        frame = mention_frame(kind, [self.mention, *[_as_mention(a) for _, a in others]],
                              self.options.default_area)
        _store_term_frequencies(frame, context)
        model = self.model
        comparisons = comparisons_named([c.name for c in model.comparisons])
        j = np.arange(1, len(others) + 1, dtype=np.int64)
        levels, tf = comparison_matrix(frame, comparisons, np.zeros(len(others), np.int64), j)
        keys, fit = entity_scores(np.zeros(len(others), dtype=np.int64),
                                  np.asarray([e for e, _ in others], dtype=np.int64),
                                  field_weights(model, levels, tf, frame.tf_size),
                                  model.prior_weight, len(pool))
        score = dict(zip(keys.tolist(), fit.tolist(), strict=True))  # key: index in pool
        best = max(range(1, len(pool)), key=lambda e: score[e])
        if score[best] < weight_of(link) or score[best] <= score[0] + TIE:
            return ranked
        chosen = pool[best]
        return [r for r in ranked if r[0] == chosen] + [r for r in ranked if r[0] != chosen]

    def _identified(self, entity_id: str) -> list[MentionLink]:
        """The entity's members holding a strong identifier, evenly spread (as batch)."""
        held = [m for m in self.members(entity_id) if m.mention_id != self.mention.mention_id
                and strong_identifier(self.kind, m.fields) is not None]
        return [held[k] for k in evenly_spread(len(held)).tolist()]

    def _follow_reviewer(self, entity: str, constraint: ReviewerConstraint
                         ) -> MentionOutcome:
        mention = self.mention
        evidence: dict[str, object] = {"reviewer_merge": [constraint.left_mention,
                                                          constraint.right_mention]}
        change = ResolutionWrite()
        change.links.append(_link_of(mention, self.kind, entity, Decision.LINK, 1.0, evidence,
                                     constraint.decided_by, self.link_keys))
        change.event(EventType.ATTACHED, entity, None, (mention.mention_id,),
                     "a reviewer merged this mention with one of the entity's",
                     constraint.decided_by)
        self.store.write_resolution(change)
        return MentionOutcome(mention.mention_id, entity, Decision.LINK, 1.0)

    def _conflicts(self, entity_id: str) -> bool:
        """Whether the mention's valid identifier differs from one the entity's other
        mentions hold."""
        mine = strong_identifier(self.kind, _plain(self.mention))
        if mine is None:
            return False
        held = {s for m in self.members(entity_id)
                if m.mention_id != self.mention.mention_id
                and (s := strong_identifier(self.kind, m.fields)) is not None}
        return bool(held - {mine})

    def _sole_entity(self, link: MentionLink | None) -> str | None:
        """The entity the mention is resolved to (`link`), if no other mention is."""
        if link is None:
            return None
        members = self.members(link.entity_id)
        return link.entity_id if [m.mention_id for m in members] == [link.mention_id] else None

    def _entity_strong_ids(self, entity_id: str) -> set[str]:
        return {s for m in self.members(entity_id)
                if (s := strong_identifier(self.kind, m.fields)) is not None}

    def _link(self, entities: list[str], score: float, evidence: dict[str, object],
              conflicts: list[tuple[Candidate, float, dict[str, object]]]) -> MentionOutcome:
        kind, mention, version = self.kind, self.mention, self.version
        survivor = max(entities, key=lambda e: (len(self.members(e)), -_num(e)))
        absorbed = tuple(e for e in entities if e != survivor)
        change = ResolutionWrite()
        change.links.append(_link_of(mention, kind, survivor, Decision.LINK, score, evidence,
                                     version, self.link_keys))
        change.event(EventType.ATTACHED, survivor, None, (mention.mention_id,),
                     f"match probability {score:.4f}", version)
        for entity in absorbed:
            change.merges.append((entity, survivor))
            change.event(EventType.MERGED, survivor, entity, (mention.mention_id,),
                         "a new record matched both", version)
        for candidate, probability, conflict_evidence in conflicts:
            change.reviews.append(_review(kind, mention, candidate, float(probability),
                                          conflict_evidence, "conflicting identifiers"))
        self.store.write_resolution(change)
        return MentionOutcome(mention.mention_id, survivor, Decision.LINK, score, absorbed)

    def _new_entity(self, existing: MentionLink | None,
                    review: tuple[Candidate, float, dict[str, object], str] | None
                    ) -> MentionOutcome:
        kind, mention, version = self.kind, self.mention, self.version
        decision = Decision.REVIEW if review else Decision.NEW
        alone = self._sole_entity(existing)
        # A re-resolved mention that is alone on its entity keeps that entity's id.
        entity = alone or self.store.allocate_entity_ids(kind, 1)[0]
        change = ResolutionWrite(new_entities=[] if alone else [(entity, kind)])
        change.links.append(_link_of(mention, kind, entity, decision, 0.0, {}, version,
                                     self.link_keys))
        if alone:
            change.event(EventType.ATTACHED, entity, None, (mention.mention_id,),
                         "re-resolved: still no match", version)
        else:
            change.event(EventType.CREATED, entity, None, (mention.mention_id,), "no match",
                         version)
        if review is not None:
            candidate, probability, evidence, reason = review
            change.reviews.append(_review(kind, mention, candidate, probability, evidence,
                                          reason))
            change.event(EventType.REVIEW_QUEUED, entity, candidate.entity_id,
                         (mention.mention_id, candidate.mention_id), reason, version)
        self.store.write_resolution(change)
        return MentionOutcome(mention.mention_id, entity, decision, 0.0)


def _store_term_frequencies(frame: Frame, context: StepContext) -> None:
    """Frequencies of the pushed mention's values among stored entities (the counts the
    step context read for its tf keys).

    Left out while the store holds fewer than TF_MIN_ENTITIES entities: a value's share of
    a handful of entities says nothing about how common it is (in a new store the only
    other 黄芳 is a share of one half, which would cost every field ten bits), so the
    model's level weights decide alone until there are enough.
    """
    total = context.entity_total
    for column in TF_COLUMNS:
        if column not in frame.text:
            continue
        counts = np.zeros(frame.n, dtype=np.int64)  # zero: no adjustment
        value = frame.text[column][0]
        if value is not None and total >= TF_MIN_ENTITIES:
            name = "phone" if column in PHONE_COLUMNS else column
            counts[0] = context.key_counts.get(f"tf:{name}:{value}", 0) + 1
        frame.numbers[f"{column}#tf"] = counts
    frame.tf_total = total + 1


def check_model(model: MatchModel) -> None:
    """A saved model must have been trained with this version's comparison levels."""
    for saved, current in zip(model.comparisons,
                              comparisons_named([c.name for c in model.comparisons]),
                              strict=True):
        if tuple(saved.labels) != current.labels:
            raise ModelFileError(
                f"the {model.kind} model's {saved.name!r} levels {list(saved.labels)} differ "
                f"from this version's {list(current.labels)}; run `wutong resolve` to retrain")


def _reviewer_merge(mention_id: str, constraints: list[ReviewerConstraint]
                    ) -> ReviewerConstraint | None:
    """The latest reviewer's merge naming this mention, unless a later decision undid it."""
    latest: dict[frozenset[str], ReviewerConstraint] = {}
    for c in constraints:
        if mention_id in (c.left_mention, c.right_mention):
            latest[frozenset((c.left_mention, c.right_mention))] = c
    merges = [c for c in latest.values() if c.merge]
    return merges[-1] if merges else None


def _apart_partners(constraints: list[ReviewerConstraint]) -> dict[str, set[str]]:
    """mention → the mentions reviewers kept apart from it (a later merge lifts it)."""
    latest: dict[frozenset[str], bool] = {}
    for c in constraints:
        latest[frozenset((c.left_mention, c.right_mention))] = c.merge
    partners: dict[str, set[str]] = {}
    for pair, merge in latest.items():
        if not merge and len(pair) == 2:
            a, b = sorted(pair)
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
    return partners


def _kept_apart(left: set[str], right: set[str], apart: dict[str, set[str]]) -> bool:
    return any(apart.get(m, set()) & right for m in left)


def _plain(mention: Mention) -> dict[str, str | None]:
    return {f.value: v for f, v in mention.fields.items()}


def _as_mention(candidate: Candidate | MentionLink) -> Mention:
    return Mention(candidate.mention_id, (candidate.source, candidate.source_id),
                   candidate.slot, candidate.kind.value,
                   {Field(k): v for k, v in candidate.fields.items()})


def strong_identifier(kind: EntityKind, fields: object) -> str | None:
    """A mention's valid ID number (person) or credit code (enterprise), canonical."""
    values = fields if isinstance(fields, dict) else {}
    if kind is EntityKind.PERSON:
        parsed = parse_id_number(values.get("id_number"))
    else:
        parsed = parse_credit_code(values.get("credit_code"))  # type: ignore[assignment]
    return parsed.canonical if parsed is not None and parsed.valid else None


def _num(entity_id: str) -> int:
    digits = "".join(c for c in entity_id if c.isdigit())
    return int(digits) if digits else 0


def _link_of(mention: Mention, kind: EntityKind, entity: str, decision: Decision, score: float,
             evidence: dict[str, object], version: str, keys: tuple[str, ...]) -> MentionLink:
    return MentionLink(mention.mention_id, mention.record_key[0], mention.record_key[1],
                       mention.slot, kind, entity, decision, score, evidence, version,
                       datetime.now(UTC), _plain(mention), keys)


def _review(kind: EntityKind, mention: Mention, candidate: Candidate, probability: float,
            evidence: dict[str, object], reason: str) -> ReviewItem:
    left, right = sorted((mention.mention_id, candidate.mention_id))
    return ReviewItem(f"{left}~{right}", kind, left, right, probability, reason, evidence)
