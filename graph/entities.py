"""Resolved entities as the store keeps them: links, merges, events, the review queue.

Source records are never altered. What resolution decides is kept beside them: which
entity each mention (a person or enterprise named in a record) resolved to, with score,
evidence and who decided; entity merges and splits as events in an append-only log; and
the pairs waiting for a reviewer. An entity id, once given out, always resolves: an
absorbed id points at the entity that absorbed it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


def mention_id(source: str, source_id: str, slot: str) -> str:
    """A mention's id: the record's key, and the slot it fills when not the record itself.
    Interned: the analytics index one mention under its id in several places."""
    return sys.intern(f"{source}:{source_id}" + (f"#{slot}" if slot else ""))


class EntityKind(StrEnum):
    PERSON = "person"
    ENTERPRISE = "enterprise"


class EventType(StrEnum):
    CREATED = "created"
    ATTACHED = "attached"
    MERGED = "merged"  # other_entity_id was absorbed into entity_id
    SPLIT = "split"  # mentions moved from entity_id to the new other_entity_id
    REVIEW_QUEUED = "review_queued"
    REVIEW_DECIDED = "review_decided"


class Decision(StrEnum):
    LINK = "link"  # attached to an existing entity
    NEW = "new"  # started a new entity
    REVIEW = "review"  # started a new entity, and a reviewer should look at a candidate


class ReviewState(StrEnum):
    OPEN = "open"
    MERGED = "merged"
    KEPT_APART = "kept_apart"


@dataclass(frozen=True)
class MentionPlace:
    """A resolved mention: which record slot it is, and the entity it belongs to."""

    mention_id: str
    source: str
    source_id: str
    slot: str
    kind: EntityKind
    entity_id: str


@dataclass(frozen=True)
class MentionLink(MentionPlace):
    """(SourceRecord)-[:RESOLVED_TO {score, evidence, decided_by, at}]->(entity)."""

    decision: Decision
    score: float
    evidence: dict[str, Any]
    decided_by: str  # a model version, or "reviewer:<name>"
    at: datetime
    fields: dict[str, str | None]  # the resolver fields the mention was resolved on
    keys: tuple[str, ...] = ()  # blocking keys, for finding it as a candidate later


@dataclass(frozen=True)
class Candidate(MentionPlace):
    """A resolved mention sharing a blocking key with one being resolved: what comparing
    with it and linking to its entity need (no score or evidence)."""

    fields: dict[str, str | None]


@dataclass(frozen=True)
class EntityEvent:
    seq: int
    at: datetime
    event: EventType
    entity_id: str
    other_entity_id: str | None
    mention_ids: tuple[str, ...]
    reason: str
    decided_by: str


@dataclass(frozen=True)
class ReviewItem:
    review_id: str
    kind: EntityKind
    left_mention: str
    right_mention: str
    probability: float
    reason: str
    evidence: dict[str, Any]
    state: ReviewState = ReviewState.OPEN
    decided_by: str | None = None
    decided_at: datetime | None = None


@dataclass(frozen=True)
class ReviewerConstraint:
    """A reviewer's decision about two mentions, which later resolution obeys."""

    left_mention: str
    right_mention: str
    merge: bool  # True: same entity; False: keep apart
    decided_by: str
    at: datetime


@dataclass(frozen=True)
class StepContext:
    """What one record-by-record resolution step reads before it decides."""

    link: MentionLink | None  # where the mention resolved before, if it did
    constraints: tuple[ReviewerConstraint, ...]  # every reviewer's decision, in order
    candidates: tuple[Candidate, ...]  # as mention_candidates finds them, in its order
    entity_total: int  # live entities of the mention's kind
    key_counts: dict[str, int]  # resolved mentions carrying each key asked for


@dataclass
class ResolutionWrite:
    """Everything one resolution step changes, written in one transaction."""

    links: list[MentionLink] = field(default_factory=list)
    new_entities: list[tuple[str, EntityKind]] = field(default_factory=list)
    merges: list[tuple[str, str]] = field(default_factory=list)  # (absorbed, survivor)
    moves: list[tuple[str, str]] = field(default_factory=list)  # (mention_id, new entity)
    events: list[tuple[EventType, str, str | None, tuple[str, ...], str, str]] = field(
        default_factory=list)  # (event, entity, other entity, mentions, reason, decided_by)
    reviews: list[ReviewItem] = field(default_factory=list)
    constraints: list[ReviewerConstraint] = field(default_factory=list)
    review_updates: list[tuple[str, ReviewState, str]] = field(
        default_factory=list)  # (review_id, new state, decided_by)
    links_are_new: bool = False
    """The caller checked, while holding the resolution lock, that no link's mention was
    ever written (and each is in `links` once): a store may then create them without
    looking for an earlier link or keys. Neo4j refuses the step if one exists after all."""

    def event(self, event: EventType, entity_id: str, other: str | None,
              mentions: tuple[str, ...], reason: str, decided_by: str) -> None:
        self.events.append((event, entity_id, other, mentions, reason, decided_by))
