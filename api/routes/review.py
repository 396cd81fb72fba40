"""Review: the queue of uncertain matches, decisions on it, and splits.

Every decision takes effect at once through the store (see resolver.review_decisions); its
intent is written to the audit log before, its outcome after (api.audit.AuditLog.decision).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.auth import Decider, ReviewReader, sees_personal_data
from api.masking import shown
from api.routes.common import PageDep, PageInfo, errors
from api.services import ServicesDep
from graph.entities import MentionLink, ReviewItem, ReviewState
from resolver.review_decisions import MAX_SPLIT_MENTIONS, decide_review, split_entity

router = APIRouter(prefix="/v1", tags=["review"])
ReviewId = Annotated[str, Path(max_length=1000, examples=["hotline81890:H-1~labour:L-7#party0"])]


class SideOut(BaseModel):
    mention_id: str
    entity_id: str | None
    fields: dict[str, str | None]


class ReviewOut(BaseModel):
    review_id: str
    kind: Literal["person", "enterprise"]
    probability: float
    reason: str
    state: Literal["open", "merged", "kept_apart"]
    decided_by: str | None
    decided_at: datetime | None
    left: SideOut
    right: SideOut
    evidence: dict[str, Any]


class QueueOut(BaseModel):
    page: PageInfo
    items: list[ReviewOut]


class DecisionIn(BaseModel):
    decision: Literal["merge", "keep_apart"]
    note: str = Field(default="", max_length=2000)

    model_config = {"json_schema_extra": {"examples": [
        {"decision": "keep_apart", "note": "same name, different birth dates on the ID cards"}]}}


class DecisionOut(BaseModel):
    review_id: str
    state: Literal["merged", "kept_apart"]
    left_entity: str
    right_entity: str
    merged: list[str] | None = Field(default=None, description="[absorbed, survivor]")
    split_into: str | None = None


class SplitIn(BaseModel):
    mention_ids: list[str] = Field(min_length=1, max_length=MAX_SPLIT_MENTIONS)
    note: str = Field(default="", max_length=2000)

    model_config = {"json_schema_extra": {"examples": [
        {"mention_ids": ["petition:XF-2026-0042"], "note": "a namesake from another county"}]}}


class SplitOut(BaseModel):
    entity_id: str
    new_entity_id: str
    moved: list[str]


@router.get("/review", response_model=QueueOut, responses=errors(401, 403, 422, 503))
def queue(caller: ReviewReader, services: ServicesDep, page: PageDep,
          state: Annotated[Literal["open", "merged", "kept_apart"], Query()] = "open",
          ) -> QueueOut:
    """Uncertain matches waiting for a reviewer (or decided ones), by review id."""
    store = services.store
    wanted = ReviewState(state)
    items = store.review_items(wanted, page.limit, page.offset)
    sides = [(item, store.mention_link(item.left_mention),
              store.mention_link(item.right_mention)) for item in items]
    full = sees_personal_data(caller)
    if full:
        services.audit.write(
            caller.key_id, caller.role.value, "read_review_queue", state,
            {"offset": page.offset, "items": [item.review_id for item in items],
             "mentions": [m for item in items for m in (item.left_mention,
                                                       item.right_mention)],
             "entities": sorted({link.entity_id for _, *links in sides for link in links
                                 if link is not None})})
    return QueueOut(page=PageInfo(limit=page.limit, offset=page.offset,
                                  total=store.review_count(wanted)),
                    items=[_review_out(item, left, right, full) for item, left, right in sides])


@router.post("/review/{review_id}/decision", response_model=DecisionOut,
             responses=errors(400, 401, 403, 404, 409, 422, 503))
def decide(caller: Decider, services: ServicesDep, review_id: ReviewId,
           body: DecisionIn) -> DecisionOut:
    """Merge the pair's entities, or keep them apart (splitting them if they are one).
    Later resolution obeys the decision."""
    with services.audit.decision(caller.key_id, caller.role.value, f"review_{body.decision}",
                                 review_id, {"note": body.note}) as outcome:
        result = decide_review(services.store, review_id, body.decision == "merge",
                               f"reviewer:{caller.key_id}", body.note)
        outcome.update(left_entity=result.left_entity, right_entity=result.right_entity,
                       merged=result.merged, split_into=result.split_into)
    services.analytics.refresh_entities(
        [result.left_entity, result.right_entity, *(result.merged or ()),
         *([result.split_into] if result.split_into else [])])
    return DecisionOut(review_id=review_id, state=result.state.value,
                       left_entity=result.left_entity, right_entity=result.right_entity,
                       merged=list(result.merged) if result.merged else None,
                       split_into=result.split_into)


@router.post("/entities/{entity_id}/split", response_model=SplitOut, tags=["entities"],
             responses=errors(400, 401, 403, 404, 409, 422, 503))
def split(caller: Decider, services: ServicesDep,
          entity_id: Annotated[str, Path(max_length=40)], body: SplitIn) -> SplitOut:
    """Move some of an entity's mentions to a new entity; later resolution keeps the two
    apart."""
    with services.audit.decision(caller.key_id, caller.role.value, "split", entity_id,
                                 {"mention_ids": body.mention_ids, "note": body.note}
                                 ) as outcome:
        result = split_entity(services.store, entity_id, body.mention_ids,
                              f"reviewer:{caller.key_id}", body.note)
        outcome.update(entity=result.entity_id, new_entity=result.new_entity_id,
                       moved=list(result.moved))
    services.analytics.refresh_entities([result.entity_id, result.new_entity_id], result.moved)
    return SplitOut(entity_id=result.entity_id, new_entity_id=result.new_entity_id,
                    moved=list(result.moved))


def _review_out(item: ReviewItem, left: MentionLink | None, right: MentionLink | None,
                full: bool) -> ReviewOut:
    return ReviewOut(
        review_id=item.review_id, kind=item.kind.value, probability=item.probability,
        reason=item.reason, state=item.state.value, decided_by=item.decided_by,
        decided_at=item.decided_at, evidence=item.evidence,
        left=_side(item.left_mention, left, full), right=_side(item.right_mention, right, full))


def _side(mention_id: str, link: MentionLink | None, full: bool) -> SideOut:
    return SideOut(mention_id=mention_id, entity_id=link.entity_id if link else None,
                   fields=shown(link.fields, full) if link else {})
