"""Pushing a batch of records: validate, journal, resolve, then tell the listeners.

1. Every record is validated first; a schema error names the record's index and field.
2. The valid records are appended in one store transaction (idempotent on source + source
   id + content): when `append_records` returns they are durable, and only then is
   anything acknowledged.
3. Each record's mentions are resolved record by record (`OnlineResolver`), duplicates
   included: resolving a mention already resolved on the same fields is a read, and a push
   whose resolution was cut short (the store went away) is completed by pushing it again.
4. The post-push callbacks (`PostPushCallback`) receive the stored records with their
   resolution outcomes; this is where the dispute network's upkeep attaches. A failing
   callback is logged and counted, never undoes the push.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from graph.records import CanonicalRecord, parse_record
from graph.store import AppendOutcome, ResolvingStore
from resolver.online import MentionOutcome, OnlineResolver

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FieldProblem:
    index: int  # position of the record in the batch
    field: str  # e.g. "parties[0].id_number"; "" for the record as a whole
    message: str
    type: str
    loc: tuple[str | int, ...] = ()


@dataclass(frozen=True)
class PushedRecord:
    """What one push did with one valid record; handed to the post-push callbacks."""

    index: int
    record: CanonicalRecord
    outcome: AppendOutcome
    mentions: tuple[MentionOutcome, ...] = ()


PostPushCallback = Callable[[Sequence[PushedRecord]], None]


@dataclass
class Validated:
    records: list[tuple[int, CanonicalRecord]] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)


def validate_batch(items: Sequence[Any]) -> Validated:
    """Each item as a canonical record, or its field-level problems."""
    result = Validated()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            result.problems.append(FieldProblem(index, "", "a record must be a JSON object",
                                                "model_type", ("body", "records", index)))
            continue
        try:
            result.records.append((index, parse_record(item)))
        except ValidationError as exc:
            result.problems.extend(_problems(index, item, exc))
    return result


def _problems(index: int, item: dict[str, Any], exc: ValidationError) -> list[FieldProblem]:
    kind = item.get("kind")
    found = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if loc and loc[0] == kind:  # the discriminator's tag, not a field
            loc = loc[1:]
        name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        found.append(FieldProblem(index, name, error["msg"], error["type"],
                                  ("body", "records", index, *loc)))
    return found


def push_records(store: ResolvingStore, resolver: OnlineResolver,
                 records: Sequence[tuple[int, CanonicalRecord]],
                 callbacks: Sequence[PostPushCallback] = (),
                 on_callback_failure: Callable[[], None] = lambda: None) -> list[PushedRecord]:
    """Journal, then resolve; raises StoreError (nothing acknowledged) if the store fails."""
    outcomes = store.append_records([record for _, record in records])
    pushed = [PushedRecord(index, record, outcome, tuple(resolver.resolve_record(record)))
              for (index, record), outcome in zip(records, outcomes, strict=True)]
    for callback in callbacks:
        try:
            callback(pushed)
        except Exception:
            logger.exception("post-push callback %r failed; the push itself stands", callback)
            on_callback_failure()
    return pushed
