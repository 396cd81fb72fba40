"""The store port: what the rest of Wutong asks of a graph store, in domain terms.

Two adapters implement it and must answer alike on the same data: the embedded store
(`graph.embedded_store`, networkx in memory over a durable SQLite journal) and the Neo4j
store. No query language crosses this port.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Self, TypeVar

from graph.alerts import Alert, AlertLevel, AlertState
from graph.analyst_model import AnalystGraph
from graph.entities import (
    Candidate,
    EntityEvent,
    EntityKind,
    MentionLink,
    ResolutionWrite,
    ReviewerConstraint,
    ReviewItem,
    ReviewState,
    StepContext,
)
from graph.records import CanonicalRecord, RecordKind

_T = TypeVar("_T")


class AppendOutcome(StrEnum):
    """What appending one source record did."""

    ACCEPTED = "accepted"  # first time this source id was seen
    NEW_VERSION = "new_version"  # known source id, different content: kept as a new version
    DUPLICATE = "duplicate"  # same source, source id and content as the latest version


@dataclass(frozen=True)
class StoredRecord:
    """A source record as journalled: immutable, never deleted."""

    seq: int
    content_hash: str
    received_at: datetime
    record: CanonicalRecord

    @property
    def key(self) -> tuple[str, str]:
        return (self.record.source.value, self.record.source_id)


@dataclass(frozen=True)
class StoreCounts:
    """Sizes of what a store holds, for status output and reconciliation."""

    records_by_kind: dict[str, int] = field(default_factory=dict)
    records_by_source: dict[str, int] = field(default_factory=dict)
    record_versions: int = 0
    nodes_by_label: dict[str, int] = field(default_factory=dict)
    edges_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(self.records_by_kind.values())

    @property
    def nodes(self) -> int:
        return sum(self.nodes_by_label.values())

    @property
    def edges(self) -> int:
        return sum(self.edges_by_type.values())


NodeRef = tuple[str, str]
"""A node of the domain graph as (label, key): a department's code, otherwise
"source:source_id" (e.g. ("Case", "labour:甬劳人仲案字〔2026〕第17号"))."""

MAX_HOPS = 3


def check_hops(hops: int) -> None:
    if not 1 <= hops <= MAX_HOPS:
        raise ValueError(f"hops must be between 1 and {MAX_HOPS}, got {hops}")


class GraphStore(ABC):
    """Port implemented by every store. Use it as a context manager to close it."""

    @abstractmethod
    def append_records(self, records: Sequence[CanonicalRecord]) -> list[AppendOutcome]:
        """Journal source records and add them to the graph.

        Returns one outcome per record, in order. When it returns, every accepted record
        is durable: a crash afterwards loses none of them.
        """

    @abstractmethod
    def get_record(self, source: str, source_id: str) -> StoredRecord | None:
        """The latest version of one source record, or None."""

    @abstractmethod
    def record_history(self, source: str, source_id: str) -> list[StoredRecord]:
        """Every version of one source record, oldest first."""

    @abstractmethod
    def iter_records(
        self, kind: RecordKind | None = None, source: str | None = None
    ) -> Iterator[StoredRecord]:
        """Latest version of every source record, optionally of one kind or source."""

    @abstractmethod
    def neighbourhood(self, node: NodeRef, hops: int) -> set[NodeRef]:
        """Every node within `hops` (1 to MAX_HOPS) relationships of `node`, itself excluded;
        empty when the node does not exist."""

    @abstractmethod
    def counts(self) -> StoreCounts:
        """What the store holds."""

    @abstractmethod
    def close(self) -> None:
        """Release files and connections; the store is unusable afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class ResolutionStore(ABC):
    """The part of the port that keeps resolved entities (see graph.entities)."""

    @abstractmethod
    def resolution_lock(self) -> AbstractContextManager[None]:
        """Held while one resolution step reads candidates and writes its outcome, so two
        concurrent pushes of the same person cannot both create an entity."""

    def resolution_step(self, step: Callable[[], _T]) -> _T:
        """Run one record-by-record resolution step under the resolution lock: `step` reads
        (step_context first) and writes its outcome with at most one write_resolution.

        A store may make the lock, the step's reads and its write one transaction (what a
        server store does to save round trips), and run `step` again from the start when
        that transaction fails for a transient reason; so `step` changes nothing but
        through this store, from this thread. Inside a held resolution_lock it just runs.
        """
        with self.resolution_lock():
            return step()

    def step_context(self, kind: EntityKind, mention_id: str, keys: Sequence[str],
                     per_key: int, count_keys: Sequence[str]) -> StepContext:
        """What a step resolving one mention reads before deciding: where it resolved
        before, the reviewers' constraints, the candidates sharing `keys` (as
        mention_candidates), the live entities of `kind`, and key_count of `count_keys`.
        The same answers as those calls; a server store answers in one query."""
        candidates = tuple(
            Candidate(c.mention_id, c.source, c.source_id, c.slot, c.kind, c.entity_id,
                      c.fields)
            for c in self.mention_candidates(kind, keys, per_key))
        return StepContext(self.mention_link(mention_id), tuple(self.reviewer_constraints()),
                           candidates, self.entity_total(kind),
                           {key: self.key_count(key) for key in count_keys})

    @abstractmethod
    def allocate_entity_ids(self, kind: EntityKind, count: int) -> list[str]:
        """Fresh entity ids, never given out before."""

    @abstractmethod
    def write_resolution(self, change: ResolutionWrite) -> None:
        """Apply one resolution step atomically."""

    @abstractmethod
    def mention_candidates(self, kind: EntityKind, keys: Sequence[str], per_key: int
                           ) -> list[MentionLink]:
        """Resolved mentions sharing any of `keys`, at most `per_key` for each key."""

    @abstractmethod
    def key_count(self, key: str) -> int:
        """How many resolved mentions carry `key` (term frequencies for scoring)."""

    @abstractmethod
    def mention_total(self, kind: EntityKind) -> int:
        """How many mentions of this kind are resolved."""

    @abstractmethod
    def entity_total(self, kind: EntityKind) -> int:
        """How many live (not absorbed) entities of this kind exist."""

    @abstractmethod
    def resolve_entity(self, entity_id: str) -> str | None:
        """The live entity an id stands for (itself, or what absorbed it); None if unknown."""

    @abstractmethod
    def entity_members(self, entity_id: str) -> list[MentionLink]:
        """The mentions resolved to a live entity, with their score and evidence."""

    @abstractmethod
    def mention_link(self, mention_id: str) -> MentionLink | None:
        """Where one mention resolved to."""

    @abstractmethod
    def mention_assignments(self, kind: EntityKind) -> dict[str, str]:
        """mention id → entity id for every resolved mention of a kind."""

    @abstractmethod
    def entity_events(self, entity_id: str | None = None) -> list[EntityEvent]:
        """The append-only log of entity events, all or those naming one entity."""

    @abstractmethod
    def review_items(self, state: ReviewState | None = ReviewState.OPEN, limit: int = 100,
                     offset: int = 0) -> list[ReviewItem]:
        """The review queue, oldest first."""

    @abstractmethod
    def review_count(self, state: ReviewState = ReviewState.OPEN) -> int:
        """How many review items are in one state (the queue's size when OPEN)."""

    @abstractmethod
    def review_item(self, review_id: str) -> ReviewItem | None:
        """One review item."""

    @abstractmethod
    def reviewer_constraints(self) -> list[ReviewerConstraint]:
        """Reviewers' merge / keep-apart decisions, which resolution obeys."""


class AlertStore(ABC):
    """The part of the port that keeps early-warning alerts (see graph.alerts)."""

    @abstractmethod
    def put_alerts(self, alerts: Sequence[Alert],
                   expected: Mapping[str, datetime | None] | None = None) -> None:
        """Insert or replace alerts by id, all in one transaction.

        `expected` maps alert ids to the `updated_at` the caller read (None: the alert did
        not exist); when a stored alert differs, nothing is written and AlertChanged is
        raised, so a step taken in another process (the API and the CLI share the store)
        is never overwritten unseen."""

    @abstractmethod
    def get_alert(self, alert_id: str) -> Alert | None:
        """One alert, or None."""

    @abstractmethod
    def list_alerts(self, state: AlertState | None = None, rule: str | None = None,
                    level: AlertLevel | None = None, entity: str | None = None,
                    limit: int = 100, offset: int = 0) -> list[Alert]:
        """Alerts matching every filter given, most urgent first (level, then most recently
        updated, then id)."""

    @abstractmethod
    def related_alerts(self, causes: Sequence[tuple[str, str]], cases: Sequence[str]
                       ) -> dict[tuple[str, str], list[Alert]]:
        """By (rule, cause): the alerts about one of `causes` (rule, cause), and those of
        the same rules that name one of `cases` — what new findings may belong to."""


class AnalystGraphStore(ABC):
    """The part of the port that keeps the analyst graph (see graph.analyst_model)."""

    @abstractmethod
    def replace_analyst_graph(self, graph: AnalystGraph) -> None:
        """Replace the domain edges (PARTY_TO, SUBJECT_OF, corporate links, ESCALATED_TO)
        an earlier refresh wrote with `graph`'s, and set its nodes' properties. An edge
        whose end is not in the graph (no such case, or an entity no record resolves to)
        is left out. Between refreshes, an entity that is merged away or left without
        records loses its analyst edges; nothing else changes them."""


class ResolvingStore(GraphStore, ResolutionStore, AlertStore, AnalystGraphStore):
    """A store that keeps source records, the entities resolved from them, alerts and the
    analyst graph derived from them."""
