"""The dispute network as the commands and the API open it: built from the configured
store with the resolver's normalisers (graph/ may not import them itself)."""

from __future__ import annotations

from datetime import date

from api.settings import Settings
from graph.alert_rules import ClusterMembers
from graph.analyst_graph import build_analyst_graph
from graph.analyst_model import AnalystGraph
from graph.clusters import ConflictClusters
from graph.network import DisputeNetwork, build_network
from graph.risk import RiskScorer, RiskWeights, load_weights
from graph.store import ResolvingStore
from resolver.fact_normaliser import ResolverFactNormaliser


def fact_normaliser(settings: Settings) -> ResolverFactNormaliser:
    return ResolverFactNormaliser(settings.resolver_default_area)


def load_network(store: ResolvingStore, settings: Settings) -> DisputeNetwork:
    """Every record and resolved mention in the store, as one dispute network."""
    return build_network(store, fact_normaliser(settings))


def conflict_clusters(network: DisputeNetwork) -> list[ClusterMembers]:
    """Conflict clusters (graph.clusters) as the growth rule reads them."""
    return [(c.cluster_id, c.entities) for c in ConflictClusters.full(network).clusters()]


def risk_weights(settings: Settings) -> RiskWeights:
    """WUTONG_RISK_WEIGHTS, else the weights shipped with Wutong."""
    return load_weights(settings.risk_weights)


def refresh_analyst_graph(store: ResolvingStore, settings: Settings, as_of: date,
                          network: DisputeNetwork | None = None,
                          clusters: list[ClusterMembers] | None = None) -> AnalystGraph:
    """Rebuild the analyst graph (graph.analyst_model: PARTY_TO, SUBJECT_OF, corporate links,
    ESCALATED_TO, node names, cluster ids and risk as of `as_of`) from the whole network
    and replace what the store held. `wutong resolve`, `wutong alerts --recompute` and
    `wutong demo` run it; pass the network and clusters when already built."""
    if network is None:
        network = load_network(store, settings)
    if clusters is None:
        clusters = conflict_clusters(network)
    graph = build_analyst_graph(network, clusters,
                                RiskScorer(network, risk_weights(settings), as_of))
    store.replace_analyst_graph(graph)
    return graph
