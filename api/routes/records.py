"""`POST /v1/records`: departments push batches of canonical records."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from api.auth import Pusher
from api.keys import Role
from api.push import FieldProblem, PushedRecord, push_records, validate_batch
from api.routes.common import errors
from api.services import ServicesDep
from graph.records import CanonicalRecord

router = APIRouter(prefix="/v1", tags=["records"])


class PushIn(BaseModel):
    """The request body (read and validated by the handler itself, record by record)."""

    records: list[CanonicalRecord] = Field(min_length=1)


class MentionOut(BaseModel):
    mention_id: str = Field(examples=["labour:LA-2026-0017#party0"])
    entity_id: str = Field(examples=["P00000042"])
    decision: Literal["link", "new", "review"]
    score: float
    merged: list[str] = Field(default_factory=list,
                              description="Entities this mention's arrival merged into entity_id")


class RecordErrorOut(BaseModel):
    field: str
    msg: str
    type: str


class RecordResultOut(BaseModel):
    index: int
    source: str | None = None
    source_id: str | None = None
    outcome: Literal["accepted", "new_version", "duplicate", "rejected"]
    mentions: list[MentionOut] = Field(default_factory=list)
    errors: list[RecordErrorOut] = Field(default_factory=list)


class PushOut(BaseModel):
    accepted: int
    new_versions: int
    duplicates: int
    rejected: int
    results: list[RecordResultOut]


_EXAMPLE = {
    "records": [{
        "kind": "person", "source": "hotline81890", "source_id": "H-2026-000123",
        "observed_at": "2026-11-02T09:30:00+08:00", "name": "黄芳",
        "id_number": "330203198503151234", "phone": "13812345678",
        "address": "宁波市海曙区中山西路88号",
    }, {
        "kind": "case", "source": "labour", "source_id": "甬劳人仲案字〔2026〕第17号",
        "observed_at": "2026-11-03T10:00:00+08:00", "channel": "labour_arbitration",
        "category": "wage_arrears", "state": "accepted", "filed_on": "2026-11-03",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "黄芳", "phone": "13812345678"},
            {"role": "respondent", "kind": "enterprise", "name": "宁波海曙某某电器有限公司"},
        ],
    }],
}
_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/PushIn"}, "example": _EXAMPLE}}}}


@router.post(
    "/records", response_model=PushOut, openapi_extra=_BODY,
    responses=errors(400, 401, 403, 413, 422, 503),
    summary="Push a batch of canonical records",
)
async def push(
    request: Request, caller: Pusher, services: ServicesDep,
    on_invalid: Annotated[Literal["fail", "skip"], Query(
        description="fail: any schema error rejects the whole batch with 422, nothing stored; "
                    "skip: valid records are stored, invalid ones answered as rejected")] = "fail",
) -> PushOut:
    """Journal and resolve up to WUTONG_API_MAX_RECORDS records (a body of at most
    WUTONG_API_MAX_BODY_BYTES). Idempotent on source + source id + content: pushing the same
    record again answers `duplicate` and changes nothing; changed content is kept as a new
    version. The answer comes only after the store committed the records. A pusher key may
    push only its own department's records (403 otherwise, nothing stored)."""
    settings = services.settings
    body = await _read_bounded(request, settings.api_max_body_bytes)
    items = _records_of(body, settings.api_max_records)
    checked = validate_batch(items)
    if checked.problems and on_invalid == "fail":
        raise RequestValidationError([_error(p) for p in checked.problems])
    if caller.role is Role.PUSHER:
        foreign = sorted({r.source.value for _, r in checked.records} - {caller.department})
        if foreign:
            raise HTTPException(403, f"a {caller.department} pusher may not push records of "
                                f"{', '.join(foreign)}")
    pushed = await run_in_threadpool(
        push_records, services.store, services.resolver, checked.records,
        list(services.post_push_callbacks), services.metrics.callback_failures.inc)
    result = _answer(pushed, checked.problems)
    for outcome, count in (("accepted", result.accepted), ("new_version", result.new_versions),
                           ("duplicate", result.duplicates), ("rejected", result.rejected)):
        if count:
            services.metrics.records_pushed.labels(outcome).inc(count)
    return result


async def _read_bounded(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the body may be at most {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the body may be at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _records_of(body: bytes, most: int) -> list[Any]:
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise HTTPException(400, f"the body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise RequestValidationError([{"loc": ("body", "records"), "type": "missing",
                                       "msg": 'the body must be {"records": [...]}'}])
    records: list[Any] = data["records"]
    if not records:
        raise RequestValidationError([{"loc": ("body", "records"), "type": "too_short",
                                       "msg": "at least one record is needed"}])
    if len(records) > most:
        raise HTTPException(413, f"a batch may hold at most {most} records, got {len(records)}")
    return records


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _error(problem: FieldProblem) -> dict[str, Any]:
    return {"loc": problem.loc, "msg": problem.message, "type": problem.type,
            "index": problem.index, "field": problem.field}


def _answer(pushed: list[PushedRecord], problems: list[FieldProblem]) -> PushOut:
    results = [RecordResultOut(
        index=p.index, source=p.record.source.value, source_id=p.record.source_id,
        outcome=p.outcome.value,
        mentions=[MentionOut(mention_id=m.mention_id, entity_id=m.entity_id,
                             decision=m.decision.value, score=m.score, merged=list(m.merged))
                  for m in p.mentions]) for p in pushed]
    rejected: dict[int, list[RecordErrorOut]] = {}
    for problem in problems:
        rejected.setdefault(problem.index, []).append(
            RecordErrorOut(field=problem.field, msg=problem.message, type=problem.type))
    results.extend(RecordResultOut(index=i, outcome="rejected", errors=e)
                   for i, e in rejected.items())
    results.sort(key=lambda r: r.index)
    count = {o: sum(r.outcome == o for r in results)
             for o in ("accepted", "new_version", "duplicate", "rejected")}
    return PushOut(accepted=count["accepted"], new_versions=count["new_version"],
                   duplicates=count["duplicate"], rejected=count["rejected"], results=results)
