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
the store has it. One re-entrant lock guards the network and clusters: pushes run in
FastAPI's thread pool, and readers hold the lock while they compute.

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
from graph.alert_config import AlertConfig, load_alert_config
from graph.alert_engine import (
    acknowledge_alert,
    alerts_for_change,
    close_alert,
    touched_entities,
)
from graph.alert_rules import ClusterMembers
from graph.alerts import Alert, Reconciliation
from graph.clusters import ConflictClusters
from graph.network import DisputeNetwork, NetworkChange
from graph.risk import RankedCluster, RiskScorer, RiskWeights, clusters_with_cases
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
        self._lock = threading.RLock()
        self._stale = False
        self._version = 0
        self._ranked: tuple[int, date, list[RankedCluster]] | None = None
        self.network, self.clusters = self._build()

    # --- keeping up -----------------------------------------------------------------

    def on_push(self, pushed: Sequence[PushedRecord]) -> None:
        """The post-push callback: records and resolution outcomes into the network."""
        with self._guarded("push", counted_by_caller=True):
            network = self.network
            change = NetworkChange()
            received = datetime.now(UTC)
            for item in pushed:
                # A duplicate is in the network already (from the start-up build or its
                # first push); its mentions are still refreshed below, which completes a
                # push whose resolution was cut short.
                if item.outcome is not AppendOutcome.DUPLICATE:
                    # The store's latest version, not this push's copy: two pushes of one
                    # record may run their callbacks in the other order than their writes.
                    latest = self.store.get_record(item.record.source.value,
                                                   item.record.source_id)
                    change.update(network.add_record(
                        latest or StoredRecord(-1, "", received, item.record)))
            for item in pushed:
                for outcome in item.mentions:
                    for absorbed in outcome.merged:
                        survivor = self.store.resolve_entity(outcome.entity_id)
                        change.update(network.merge(absorbed, survivor or outcome.entity_id))
            change.update(self._refresh(m.mention_id for item in pushed for m in item.mentions))
            self._apply(change)

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
                self._apply(self._refresh(sorted(mentions)))
        except Exception:  # logged, counted and marked stale by _guarded
            pass

    def rebuild(self) -> None:
        with self._lock:
            self.network, self.clusters = self._build()
            self._stale = False

    def acknowledge(self, alert_id: str, by: str) -> Alert:
        """Under the lock, so a push's alert update cannot overwrite the step."""
        with self._lock:
            return acknowledge_alert(self.store, alert_id, by)

    def close(self, alert_id: str, by: str, note: str) -> Alert:
        with self._lock:
            return close_alert(self.store, alert_id, by, note)

    # --- reading --------------------------------------------------------------------

    @contextmanager
    def view(self) -> Iterator[View]:
        with self._lock:
            if self._stale:
                self.rebuild()
            as_of = self.settings.as_of()
            yield View(self.network, self.clusters,
                       RiskScorer(self.network, self.weights, as_of), as_of)

    def ranked_clusters(self, view: View) -> list[RankedCluster]:
        """Every cluster with a case filed by the day, with its summary and risk (cached
        until the network changes or the day does). Call inside `view()`."""
        cached = self._ranked
        if cached is not None and cached[:2] == (self._version, view.as_of):
            return cached[2]
        out = clusters_with_cases(view.network, view.clusters.clusters(), view.scorer)
        self._ranked = (self._version, view.as_of, out)
        return out

    # --- internals ------------------------------------------------------------------

    def _build(self) -> tuple[DisputeNetwork, ConflictClusters]:
        network = load_network(self.store, self.settings)
        self._version += 1
        return network, ConflictClusters.full(network)

    @contextmanager
    def _guarded(self, what: str, counted_by_caller: bool = False) -> Iterator[None]:
        """Marks the state stale on any failure; logs and counts it unless the caller
        does (push_records logs and counts a failing callback itself)."""
        with self._lock:
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

    def _refresh(self, mention_ids: Iterable[str]) -> NetworkChange:
        """Each mention to the entity the store holds it in now."""
        change = NetworkChange()
        for mention in dict.fromkeys(mention_ids):
            link = self.store.mention_link(mention)
            if link is not None:
                change.update(self.network.assign(mention, link.entity_id, link.kind))
        return change

    def _apply(self, change: NetworkChange) -> Reconciliation:
        if not change:
            return Reconciliation()
        self._version += 1
        self.clusters.apply(change)
        touched = touched_entities(self.network, change)
        found = {c.cluster_id: c for e in sorted(touched)
                 if (c := self.clusters.cluster_of(e)) is not None}
        members: list[ClusterMembers] = [(c.cluster_id, c.entities) for c in found.values()]
        return alerts_for_change(self.store, self.network, self.config, self.settings.as_of(),
                                 change, members)
