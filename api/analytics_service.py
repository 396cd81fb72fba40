"""The dispute network, its conflict clusters and alerts kept up to date inside the API.

Built once from the store when the app starts (`load_network`, `ConflictClusters.full`),
then kept current record by record:

- after every push (`on_push`, a `PostPushCallback`): the stored records enter the network,
  each mention takes the entity the store now gives it (merges the push made move the
  absorbed entities' mentions), the clusters take the resulting `NetworkChange`
  (`ConflictClusters.apply`, never a full recomputation) and the alert rules run for the
  causes the change can affect (`alerts_for_change`), as of `Settings.as_of()`;
- after a reviewer's decision or split (`refresh_entities`): the mentions of the entities it
  touched are re-read from the store, with the same clusters and alerts upkeep.

Entity ids are always re-read from the store rather than taken from the outcomes, so two
pushes whose callbacks run in the other order than their writes still leave the network as
the store has it.

Two locks. The upkeep lock lets one change run at a time (pushes run in FastAPI's thread
pool; review refreshes, rebuilds and the alert steps take it too). Readers share the
network and clusters under a `SharedLock`, which a change holds alone only while it moves
them: its store reads come before, and its alert evaluation and alert writes after, while
readers go on (only a change moves the network, and it holds the upkeep lock, so the
evaluation reads it safely). The cluster list keeps each cluster's summary and risk
(`RankedClusters`) and recomputes only the clusters a change reached.

A failure part-way leaves the in-memory state unknown: it is logged, counted, and the next
reader or push rebuilds everything from the store (the store is the truth; the push or
decision that triggered it stands).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from api.analytics import load_network, risk_weights
from api.push import PushedRecord
from api.settings import Settings
from api.shared_lock import SharedLock
from graph.alert_config import AlertConfig, load_alert_config
from graph.alert_engine import (
    acknowledge_alert,
    alerts_for_change,
    close_alert,
    touched_entities,
)
from graph.alert_rules import ClusterMembers
from graph.alerts import Alert, Reconciliation
from graph.cluster_ranking import RankedClusters, entities_to_rescore
from graph.clusters import ConflictClusters
from graph.entities import MentionLink
from graph.network import DisputeNetwork, NetworkChange
from graph.risk import RankedCluster, RiskScorer, RiskWeights
from graph.store import AppendOutcome, ResolvingStore, StoredRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class View:
    """What a reader works with while it holds the lock."""

    network: DisputeNetwork
    clusters: ConflictClusters
    scorer: RiskScorer
    as_of: date


class AnalyticsService:
    def __init__(self, store: ResolvingStore, settings: Settings,
                 on_failure: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.settings = settings
        self.config: AlertConfig = load_alert_config(settings.alert_rules)
        self.weights: RiskWeights = risk_weights(settings)
        self.on_failure = on_failure
        self._upkeep = threading.RLock()
        self._state = SharedLock()
        self._stale = False
        self._version = 0
        self._ranked: tuple[int, date, list[RankedCluster]] | None = None
        self._ranking = RankedClusters()
        self.network, self.clusters = self._build()

    # --- keeping up -----------------------------------------------------------------

    def on_push(self, pushed: Sequence[PushedRecord]) -> None:
        """The post-push callback: records and resolution outcomes into the network."""
        with self._guarded("push", counted_by_caller=True):
            received = datetime.now(UTC)
            # A duplicate is in the network already (from the start-up build or its first
            # push); its mentions are still refreshed below, which completes a push whose
            # resolution was cut short. The store's latest version, not this push's copy:
            # two pushes of one record may run their callbacks in the other order than
            # their writes.
            records = [self.store.get_record(item.record.source.value, item.record.source_id)
                       or StoredRecord(-1, "", received, item.record)
                       for item in pushed if item.outcome is not AppendOutcome.DUPLICATE]
            merges = [(absorbed, self.store.resolve_entity(outcome.entity_id)
                       or outcome.entity_id)
                      for item in pushed for outcome in item.mentions
                      for absorbed in outcome.merged]
            links = self._links(m.mention_id for item in pushed for m in item.mentions)

            def move() -> NetworkChange:
                change = NetworkChange()
                for stored in records:
                    change.update(self.network.add_record(stored))
                for absorbed, survivor in merges:
                    change.update(self.network.merge(absorbed, survivor))
                change.update(self._assign(links))
                return change

            self._commit(move)

    def refresh_entities(self, entity_ids: Iterable[str], mention_ids: Iterable[str] = ()
                         ) -> None:
        """After a review decision or split: re-read where the mentions of these entities
        (and `mention_ids`) now belong. Never raises: the decision stands either way."""
        try:
            with self._guarded("review decision"):
                mentions = set(mention_ids)
                for entity in set(entity_ids):
                    mentions |= self.network.members(entity)
                    live = self.store.resolve_entity(entity)
                    if live is not None:
                        mentions |= {m.mention_id for m in self.store.entity_members(live)}
                links = self._links(sorted(mentions))
                self._commit(lambda: self._assign(links))
        except Exception:  # logged, counted and marked stale by _guarded
            pass

    def rebuild(self) -> None:
        """Everything again from the store; readers keep the old state until it is done."""
        with self._upkeep:
            network, clusters = self._build()
            with self._state.exclusive():
                self.network, self.clusters = network, clusters
                self._version += 1
                self._ranking.clear()
                self._stale = False

    def acknowledge(self, alert_id: str, by: str) -> Alert:
        """Under the upkeep lock, so a push's alert update cannot overwrite the step."""
        with self._upkeep:
            return acknowledge_alert(self.store, alert_id, by)

    def close(self, alert_id: str, by: str, note: str) -> Alert:
        with self._upkeep:
            return close_alert(self.store, alert_id, by, note)

    # --- reading --------------------------------------------------------------------

    @contextmanager
    def view(self) -> Iterator[View]:
        """The network and clusters for as long as the block runs (changes wait for it)."""
        while True:
            with self._state.shared():
                if not self._stale:
                    as_of = self.settings.as_of()
                    yield View(self.network, self.clusters,
                               RiskScorer(self.network, self.weights, as_of), as_of)
                    return
            with self._upkeep:
                if self._stale:
                    self.rebuild()

    def ranked_clusters(self, view: View) -> list[RankedCluster]:
        """Every cluster with a case filed by the day, with its summary and risk (the list
        is kept until the network changes or the day does, and each cluster's entry until
        a change reaches it). Call inside `view()`."""
        cached = self._ranked
        if cached is not None and cached[:2] == (self._version, view.as_of):
            return cached[2]
        out = self._ranking.ranked(view.network, view.clusters.clusters(), view.scorer)
        self._ranked = (self._version, view.as_of, out)
        return out

    # --- internals ------------------------------------------------------------------

    def _build(self) -> tuple[DisputeNetwork, ConflictClusters]:
        network = load_network(self.store, self.settings)
        return network, ConflictClusters.full(network)

    @contextmanager
    def _guarded(self, what: str, counted_by_caller: bool = False) -> Iterator[None]:
        """One change at a time. Marks the state stale on any failure; logs and counts it
        unless the caller does (push_records logs and counts a failing callback itself)."""
        with self._upkeep:
            try:
                if self._stale:
                    self.rebuild()
                yield
            except Exception:
                self._stale = True
                if not counted_by_caller:
                    logger.exception("analytics upkeep after a %s failed; the network will "
                                     "be rebuilt from the store", what)
                    self.on_failure()
                raise

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Readers kept out while the network and clusters move; stale until the move is
        complete, so a reader after a failure part-way rebuilds instead of reading it."""
        with self._state.exclusive():
            self._stale = True
            yield
            self._stale = False

    def _links(self, mention_ids: Iterable[str]) -> list[MentionLink]:
        """Where the store holds each mention now."""
        return [link for mention in dict.fromkeys(mention_ids)
                if (link := self.store.mention_link(mention)) is not None]

    def _assign(self, links: Iterable[MentionLink]) -> NetworkChange:
        change = NetworkChange()
        for link in links:
            change.update(self.network.assign(link.mention_id, link.entity_id, link.kind))
        return change

    def _commit(self, move: Callable[[], NetworkChange]) -> None:
        """Apply the change `move` makes to the network under the exclusive lock, then
        evaluate its alerts under the upkeep lock only (readers go on meanwhile)."""
        with self._changing():
            change = move()
            touched = self._take(change)
        self._alerts(change, touched)

    def _take(self, change: NetworkChange) -> set[str]:
        """The clusters follow the network; the clusters the change reached are marked for
        ranking again; the entities it touched. Under the exclusive lock."""
        if not change:
            return set()
        self._version += 1
        ties_reread = self.clusters.apply(change)
        touched = touched_entities(self.network, change)
        self._ranking.rescore(entities_to_rescore(self.network, change, ties_reread, touched))
        return touched

    def _alerts(self, change: NetworkChange, touched: set[str]) -> Reconciliation:
        """The alert rules for the change and the entities it touched, and their alerts
        written. Under the upkeep lock only: readers go on meanwhile."""
        if not change:
            return Reconciliation()
        found = {c.cluster_id: c for e in sorted(touched)
                 if (c := self.clusters.cluster_of(e)) is not None}
        members: list[ClusterMembers] = [(c.cluster_id, c.entities) for c in found.values()]
        return alerts_for_change(self.store, self.network, self.config, self.settings.as_of(),
                                 change, members)
