"""Each conflict cluster's summary and risk, kept from one read of the cluster list to the
next and recomputed only for the clusters a change reached.

A cluster's summary and risk read the cases, credit events and identifiers of its member
entities, the other parties of those cases, and the cases those cases continue. So after a
change they can differ only for clusters holding an entity that

- the change moved a mention to or from, or that is a party to a case, subject of a credit
  event or end of a link it touched (`alert_engine.touched_entities`);
- the clusters re-read the ties of (`ConflictClusters.apply`: it adds the former members of
  ties a change dropped, such as the parties a new version of a case left out);
- is a party to a case naming a touched case as the one it continues (escalation points).

Everything else is reused while its cluster keeps the same members and part size and the
day is the same; the result equals `risk.clusters_with_cases` over the same clusters.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date

from graph.alert_engine import touched_entities
from graph.cluster_summary import summarise
from graph.clusters import Cluster
from graph.network import DisputeNetwork, NetworkChange
from graph.risk import RankedCluster, RiskScorer


def entities_to_rescore(network: DisputeNetwork, change: NetworkChange,
                        ties_reread: Iterable[str], touched: set[str] | None = None
                        ) -> set[str]:
    """The entities whose clusters' summaries and risk a change may have moved (call after
    the network and clusters took the change); `touched`: its `touched_entities`, where
    the caller has them already."""
    if touched is None:
        touched = touched_entities(network, change)
    out = set(ties_reread) | touched
    for key in change.cases:
        for continuation in network.continuations(key):
            case = network.cases.get(continuation)
            if case is not None:
                out |= {e for e, _ in network.case_entities(case)}
    return out


class RankedClusters:
    """The clusters with a case filed by the day, each with its summary and risk, cached per
    cluster. `rescore` marks entities after a change; `ranked` recomputes what they reach.

    `rescore` must not run while `ranked` does (the API calls it under its exclusive lock,
    `ranked` under the shared one); concurrent `ranked` calls wait for one another."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._as_of: date | None = None
        # cluster id → the cluster as ranked and its ranking (None: no case by the day)
        self._kept: dict[str, tuple[Cluster, RankedCluster | None]] = {}
        self._dirty: set[str] = set()
        self.recomputed = 0  # clusters summarised since the start (what tests look at)

    def rescore(self, entities: Iterable[str]) -> None:
        self._dirty.update(entities)

    def clear(self) -> None:
        """Forget everything (after the network was rebuilt)."""
        with self._lock:
            self._kept, self._dirty, self._as_of = {}, set(), None

    def ranked(self, network: DisputeNetwork, clusters: Iterable[Cluster],
               scorer: RiskScorer) -> list[RankedCluster]:
        with self._lock:
            kept = self._kept if scorer.as_of == self._as_of else {}
            dirty, self._dirty = self._dirty, set()
            now: dict[str, tuple[Cluster, RankedCluster | None]] = {}
            out: list[RankedCluster] = []
            for cluster in clusters:
                found = kept.get(cluster.cluster_id)
                if found is not None and found[0] == cluster and dirty.isdisjoint(
                        cluster.entities):
                    ranked = found[1]
                elif any(network.case_keys_of(e) for e in cluster.entities):
                    ranked = self._rank(network, cluster, scorer)
                else:
                    continue  # no case at all (most single entities): nothing to rank
                now[cluster.cluster_id] = (cluster, ranked)
                if ranked is not None:
                    out.append(ranked)
            self._kept, self._as_of = now, scorer.as_of
            return out

    def _rank(self, network: DisputeNetwork, cluster: Cluster, scorer: RiskScorer
              ) -> RankedCluster | None:
        self.recomputed += 1
        summary = summarise(network, cluster, scorer.as_of)
        if not summary.cases:  # its cases were all filed after the day
            return None
        return RankedCluster(cluster, summary, scorer.cluster(cluster))
