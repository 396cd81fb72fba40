"""The dispute network as the commands and the API open it: built from the configured
store with the resolver's normalisers (graph/ may not import them itself)."""

from __future__ import annotations

from datetime import date

import networkx as nx

from api.settings import Settings
from graph.alert_rules import Cluster
from graph.network import DisputeNetwork, build_network
from graph.store import ResolvingStore
from resolver.fact_normaliser import ResolverFactNormaliser


def fact_normaliser(settings: Settings) -> ResolverFactNormaliser:
    return ResolverFactNormaliser(settings.resolver_default_area)


def load_network(store: ResolvingStore, settings: Settings) -> DisputeNetwork:
    """Every record and resolved mention in the store, as one dispute network."""
    return build_network(store, fact_normaliser(settings))


def conflict_clusters(network: DisputeNetwork, as_of: date) -> list[Cluster]:
    """Conflict clusters as the growth rule reads them: parts of the network joined by
    shared cases and corporate links, large parts split into communities."""
    graph = nx.Graph()
    for case in network.cases.values():
        if case.filed_on > as_of:
            continue
        parties = [e for e, _ in network.case_entities(case)]
        graph.add_nodes_from(parties)
        graph.add_edges_from((parties[0], other) for other in parties[1:])
    for link in network.links.values():
        ends = [network.entity_of(m) for m in (link.person_mention, link.enterprise_mention)]
        if ends[0] is not None and ends[1] is not None:
            graph.add_edge(ends[0], ends[1])
    clusters: list[Cluster] = []
    for part in nx.connected_components(graph):
        if len(part) <= _COMMUNITY_FROM:
            clusters.append((f"C-{min(part)}", frozenset(part)))
            continue
        for community in nx.community.louvain_communities(graph.subgraph(part), seed=7):
            clusters.append((f"C-{min(community)}", frozenset(community)))
    return clusters


_COMMUNITY_FROM = 50
"""A part larger than this is split into communities a mediator can act on."""
