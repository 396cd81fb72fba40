"""Reviewers' decisions: merge or keep apart a queued pair, and split an entity.

Each decision is one `ResolutionWrite` made under the store's resolution lock, so it takes
effect at once: the entities change, the review item is closed, the decision is an event
in the entity log, and it is kept as a `ReviewerConstraint` that later resolution obeys
(record-by-record in `resolver.online`, batch runs in `resolver.store_resolution`).

A merge that would give one entity two different valid ID numbers (or credit codes) is
refused (`ConflictingIdentifiers`, HTTP 409): the design's hard rule holds for reviewers too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from graph.entities import (
    EventType,
    MentionLink,
    ResolutionWrite,
    ReviewerConstraint,
    ReviewState,
)
from graph.errors import AlreadyDecided, ConflictingIdentifiers, ReviewError, UnknownReview
from graph.masking import mask_strong_identifier
from graph.store import ResolvingStore
from resolver.online import strong_identifier

MAX_SPLIT_MENTIONS = 1000


@dataclass(frozen=True)
class DecisionResult:
    review_id: str
    state: ReviewState
    left_entity: str  # where each mention of the pair is now
    right_entity: str
    merged: tuple[str, str] | None = None  # (absorbed, survivor)
    split_into: str | None = None  # the new entity a kept-apart mention moved to


@dataclass(frozen=True)
class SplitResult:
    entity_id: str
    new_entity_id: str
    moved: tuple[str, ...]


def decide_review(store: ResolvingStore, review_id: str, merge: bool, decided_by: str,
                  note: str = "") -> DecisionResult:
    """Close one open review item as a merge or a keep-apart, and apply it."""
    with store.resolution_lock():
        item = store.review_item(review_id)
        if item is None:
            raise UnknownReview(f"no review item {review_id!r}")
        if item.state is not ReviewState.OPEN:
            raise AlreadyDecided(f"review item {review_id!r} was decided ({item.state.value})"
                                 f" by {item.decided_by}")
        left = _mention(store, item.left_mention)
        right = _mention(store, item.right_mention)
        state = ReviewState.MERGED if merge else ReviewState.KEPT_APART
        reason = note or ("a reviewer merged them" if merge else "a reviewer kept them apart")
        change = ResolutionWrite(review_updates=[(review_id, state, decided_by)])
        change.constraints.append(ReviewerConstraint(left.mention_id, right.mention_id, merge,
                                                     decided_by, datetime.now(UTC)))
        mentions = (left.mention_id, right.mention_id)
        result = DecisionResult(review_id, state, left.entity_id, right.entity_id)
        if merge and left.entity_id != right.entity_id:
            _refuse_conflicting_identifiers(store, left, right)
            survivor, absorbed = _larger_first(store, left.entity_id, right.entity_id)
            change.merges.append((absorbed, survivor))
            change.event(EventType.MERGED, survivor, absorbed, mentions, reason, decided_by)
            result = DecisionResult(review_id, state, survivor, survivor, (absorbed, survivor))
        elif not merge and left.entity_id == right.entity_id:
            new = store.allocate_entity_ids(right.kind, 1)[0]
            change.new_entities.append((new, right.kind))
            change.moves.append((right.mention_id, new))
            change.event(EventType.SPLIT, right.entity_id, new, (right.mention_id,), reason,
                         decided_by)
            result = DecisionResult(review_id, state, left.entity_id, new, split_into=new)
        change.event(EventType.REVIEW_DECIDED, result.left_entity, result.right_entity,
                     mentions, f"{state.value}: {reason}", decided_by)
        store.write_resolution(change)
        return result


def split_entity(store: ResolvingStore, entity_id: str, mention_ids: Sequence[str],
                 decided_by: str, note: str = "") -> SplitResult:
    """Move some of an entity's mentions to a new entity, kept apart from the rest."""
    moved = tuple(dict.fromkeys(mention_ids))
    if not moved or len(moved) > MAX_SPLIT_MENTIONS:
        raise ReviewError(f"a split moves 1 to {MAX_SPLIT_MENTIONS} mentions, got {len(moved)}")
    with store.resolution_lock():
        live = store.resolve_entity(entity_id)
        if live is None:
            raise UnknownReview(f"no entity {entity_id!r}")
        members = {m.mention_id: m for m in store.entity_members(live)}
        foreign = [m for m in moved if m not in members]
        if foreign:
            raise UnknownReview(f"{', '.join(foreign[:5])} do not belong to entity {live}")
        staying = [m for m in members if m not in moved]
        if not staying:
            raise ReviewError("a split must leave at least one mention on the entity")
        kind = members[moved[0]].kind
        new = store.allocate_entity_ids(kind, 1)[0]
        now = datetime.now(UTC)
        change = ResolutionWrite(new_entities=[(new, kind)],
                                 moves=[(m, new) for m in moved])
        # One keep-apart per moved mention against a mention that stays is enough for
        # later resolution to keep the two entities apart.
        change.constraints.extend(ReviewerConstraint(m, staying[0], False, decided_by, now)
                                  for m in moved)
        change.event(EventType.SPLIT, live, new, moved, note or "a reviewer split the entity",
                     decided_by)
        store.write_resolution(change)
        return SplitResult(live, new, moved)


def _mention(store: ResolvingStore, mention_id: str) -> MentionLink:
    link = store.mention_link(mention_id)
    if link is None:
        raise UnknownReview(f"mention {mention_id!r} of the review item is not resolved")
    return link


def _refuse_conflicting_identifiers(store: ResolvingStore, left: MentionLink,
                                    right: MentionLink) -> None:
    """Two different valid ID numbers (or credit codes) never merge, whoever asks."""
    held = [sorted({s for m in store.entity_members(link.entity_id)
                    if (s := strong_identifier(link.kind, m.fields)) is not None})
            for link in (left, right)]
    if held[0] and held[1] and set(held[0]) != set(held[1]):
        kind = left.kind.value
        shown = [", ".join(str(mask_strong_identifier(kind, s)) for s in ids) for ids in held]
        raise ConflictingIdentifiers(
            f"entities {left.entity_id} and {right.entity_id} hold different identifiers "
            f"({shown[0]} and {shown[1]}): two different valid identifiers never merge; "
            "keep them apart, or correct the record that carries the wrong one")


def _larger_first(store: ResolvingStore, a: str, b: str) -> tuple[str, str]:
    """(survivor, absorbed): the entity with more mentions survives, else the older id."""
    size_a, size_b = len(store.entity_members(a)), len(store.entity_members(b))
    if (size_b, a) > (size_a, b):
        return b, a
    return a, b
