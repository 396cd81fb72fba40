"""Entities: search, one entity with its records, its network, and why it was merged.

Analysts read ID numbers, phones, birth dates and individual businesses' credit codes
masked (graph.masking); reviewers and admins read them in full, and each such read is
written to the audit log, with the entities, records and mentions shown, before the answer
leaves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from api.auth import Reader, sees_personal_data
from api.keys import ApiKey
from api.masking import shown
from api.routes.common import PageDep, PageInfo, errors
from api.search import SearchQuery, search_entities
from api.services import Services, ServicesDep
from graph.entities import EntityKind, MentionLink
from graph.store import MAX_HOPS, StoredRecord

router = APIRouter(prefix="/v1/entities", tags=["entities"])
EntityId = Annotated[str, Path(max_length=40, examples=["P00000042"])]
SEARCH_TEXT = Query(min_length=1, max_length=200)
ENTITY_LABELS = {EntityKind.PERSON: "Person", EntityKind.ENTERPRISE: "Enterprise"}


class HitOut(BaseModel):
    entity_id: str
    kind: Literal["person", "enterprise"]
    score: float = Field(description="Agreement with the query, 0 to 1")
    best_match: dict[str, str | None] = Field(description="The fields of the entity's mention "
                                              "that agreed best (masked unless allowed)")


class SearchOut(BaseModel):
    page: PageInfo
    hits: list[HitOut]


class MentionOut(BaseModel):
    mention_id: str
    slot: str
    decision: str
    score: float
    decided_by: str
    at: datetime
    fields: dict[str, str | None]


class SourceRecordOut(BaseModel):
    source: str
    source_id: str
    kind: str
    content_hash: str
    received_at: datetime
    mentions: list[str]
    record: dict[str, Any]


class EntityOut(BaseModel):
    entity_id: str
    requested_id: str = Field(description="The id asked for; differs once it was merged")
    kind: Literal["person", "enterprise"]
    page: PageInfo
    records: list[SourceRecordOut] = Field(description="Person and enterprise records")
    cases: list[SourceRecordOut]
    credit_events: list[SourceRecordOut]
    relations: list[SourceRecordOut]


class NodeOut(BaseModel):
    label: str
    key: str


class NetworkOut(BaseModel):
    entity_id: str
    hops: int
    page: PageInfo
    nodes: list[NodeOut]


class ContributionOut(BaseModel):
    comparison: str
    level: str
    weight: float
    frequency_adjustment: float


class LinkEvidenceOut(BaseModel):
    mention: MentionOut
    against: str | None = Field(description="The mention it was compared with when linked")
    match_weight: float | None = None
    match_probability: float | None = None
    contributions: list[ContributionOut]
    reviewer_merge: list[str] | None = None


class EventOut(BaseModel):
    seq: int
    at: datetime
    event: str
    entity_id: str
    other_entity_id: str | None
    mention_ids: list[str]
    reason: str
    decided_by: str


class EvidenceOut(BaseModel):
    entity_id: str
    page: PageInfo
    links: list[LinkEvidenceOut]
    history: list[EventOut]


@router.get("", response_model=SearchOut, responses=errors(401, 403, 422, 503))
def search(
    caller: Reader, services: ServicesDep, page: PageDep,
    name: Annotated[str | None, SEARCH_TEXT] = None,
    id_number: Annotated[str | None, SEARCH_TEXT] = None,
    phone: Annotated[str | None, SEARCH_TEXT] = None,
    company_name: Annotated[str | None, SEARCH_TEXT] = None,
    kind: Literal["person", "enterprise"] | None = None,
) -> SearchOut:
    """Entities matching a name, ID number, phone or company name (any combination),
    best first: fuzzy through the resolver's normalisers and blocking keys."""
    query = SearchQuery(name, id_number, phone, company_name)
    if not any((name, id_number, phone, company_name)):
        raise RequestValidationError([{"loc": ("query", "name"), "type": "missing",
                                       "msg": "give name, id_number, phone or company_name"}])
    kinds = [EntityKind(kind)] if kind else list(EntityKind)
    hits = search_entities(services.store, query, kinds,
                           services.settings.resolver_default_area or None)
    shown_hits = hits[page.offset:page.offset + page.limit]
    full = _audited(services, caller, "search", "entities",
                    {"fields": sorted(k for k, v in vars(query).items() if v),
                     "entities": [h.entity_id for h in shown_hits],
                     "mentions": [h.mention.mention_id for h in shown_hits]})
    return SearchOut(
        page=PageInfo(limit=page.limit, offset=page.offset, total=len(hits)),
        hits=[HitOut(entity_id=h.entity_id, kind=h.kind.value, score=h.score,
                     best_match=shown(h.mention.fields, full)) for h in shown_hits])


@router.get("/{entity_id}", response_model=EntityOut, responses=errors(401, 403, 404, 422, 503))
def entity(caller: Reader, services: ServicesDep, page: PageDep,
           entity_id: EntityId) -> EntityOut:
    """One entity with its source records, cases, credit events and relations (a page of
    its records, in source order)."""
    live, members = _members(services, entity_id)
    by_record: dict[tuple[str, str], list[str]] = {}
    for link in members:
        by_record.setdefault((link.source, link.source_id), []).append(link.mention_id)
    keys = sorted(by_record)[page.offset:page.offset + page.limit]
    stored = [(k, services.store.get_record(*k)) for k in keys]
    full = _audited(services, caller, "read_entity", live,
                    {"records": [f"{source}:{source_id}" for source, source_id in keys],
                     "mentions": [m for k in keys for m in by_record[k]]})
    out = EntityOut(entity_id=live, requested_id=entity_id, kind=_kind(live, members).value,
                    page=PageInfo(limit=page.limit, offset=page.offset, total=len(by_record)),
                    records=[], cases=[], credit_events=[], relations=[])
    groups = {"person": out.records, "enterprise": out.records, "case": out.cases,
              "credit_event": out.credit_events, "relation": out.relations}
    for key, record in stored:
        if record is not None:
            groups[record.record.kind].append(_record_out(record, by_record[key], full))
    return out


@router.get("/{entity_id}/network", response_model=NetworkOut,
            responses=errors(401, 403, 404, 422, 503))
def network(caller: Reader, services: ServicesDep, page: PageDep, entity_id: EntityId,
            hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 2) -> NetworkOut:
    """The nodes of the graph within `hops` relationships of the entity: its source records,
    the departments they came from, cases, credit events and other entities. Keys are ids,
    never personal data."""
    live, members = _members(services, entity_id)
    nodes = sorted(services.store.neighbourhood((ENTITY_LABELS[_kind(live, members)], live),
                                                hops))
    return NetworkOut(entity_id=live, hops=hops,
                      page=PageInfo(limit=page.limit, offset=page.offset, total=len(nodes)),
                      nodes=[NodeOut(label=label, key=key)
                             for label, key in nodes[page.offset:page.offset + page.limit]])


@router.get("/{entity_id}/evidence", response_model=EvidenceOut,
            responses=errors(401, 403, 404, 422, 503))
def evidence(caller: Reader, services: ServicesDep, page: PageDep,
             entity_id: EntityId) -> EvidenceOut:
    """Why the entity holds its records: for each mention, the decision, the probability
    and the evidence per field (the waterfall of weights); then the entity's merge, split
    and review history."""
    live, members = _members(services, entity_id)
    events = services.store.entity_events(live)
    chosen = members[page.offset:page.offset + page.limit]
    full = _audited(services, caller, "read_evidence", live,
                    {"mentions": [link.mention_id for link in chosen]})
    return EvidenceOut(
        entity_id=live, page=PageInfo(limit=page.limit, offset=page.offset, total=len(members)),
        links=[_evidence_out(link, full) for link in chosen],
        history=[EventOut(seq=e.seq, at=e.at, event=e.event.value, entity_id=e.entity_id,
                          other_entity_id=e.other_entity_id, mention_ids=list(e.mention_ids),
                          reason=e.reason, decided_by=e.decided_by) for e in events[-500:]])


def _members(services: Services, entity_id: str) -> tuple[str, list[MentionLink]]:
    live = services.store.resolve_entity(entity_id)
    if live is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return live, services.store.entity_members(live)


def _kind(entity_id: str, members: list[MentionLink]) -> EntityKind:
    if members:
        return members[0].kind
    return EntityKind.ENTERPRISE if entity_id.startswith("E") else EntityKind.PERSON


def _audited(services: Services, caller: ApiKey, action: str, target: str,
             detail: dict[str, Any]) -> bool:
    """Whether the caller sees personal data in full; if so, the read is audited first."""
    full = sees_personal_data(caller)
    if full:
        services.audit.write(caller.key_id, caller.role.value, action, target, detail)
    return full


def _mention_out(link: MentionLink, full: bool) -> MentionOut:
    return MentionOut(mention_id=link.mention_id, slot=link.slot, decision=link.decision.value,
                      score=link.score, decided_by=link.decided_by, at=link.at,
                      fields=shown(link.fields, full))


def _record_out(stored: StoredRecord, mentions: list[str], full: bool) -> SourceRecordOut:
    record = stored.record
    return SourceRecordOut(source=record.source.value, source_id=record.source_id,
                           kind=record.kind, content_hash=stored.content_hash,
                           received_at=stored.received_at, mentions=mentions,
                           record=shown(record.model_dump(mode="json"), full))


def _evidence_out(link: MentionLink, full: bool) -> LinkEvidenceOut:
    ev = link.evidence
    return LinkEvidenceOut(
        mention=_mention_out(link, full), against=ev.get("against"),
        match_weight=ev.get("match_weight"), match_probability=ev.get("match_probability"),
        contributions=[ContributionOut(
            comparison=str(c.get("comparison", "")), level=str(c.get("level", "")),
            weight=float(c.get("weight", 0.0)),
            frequency_adjustment=float(c.get("frequency_adjustment", 0.0)))
            for c in ev.get("contributions", [])],
        reviewer_merge=ev.get("reviewer_merge"))
