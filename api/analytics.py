"""The dispute network as the commands and the API open it: built from the configured
store with the resolver's normalisers (graph/ may not import them itself)."""

from __future__ import annotations

from api.settings import Settings
from graph.network import DisputeNetwork, build_network
from graph.store import ResolvingStore
from resolver.fact_normaliser import ResolverFactNormaliser


def fact_normaliser(settings: Settings) -> ResolverFactNormaliser:
    return ResolverFactNormaliser(settings.resolver_default_area)


def load_network(store: ResolvingStore, settings: Settings) -> DisputeNetwork:
    """Every record and resolved mention in the store, as one dispute network."""
    return build_network(store, fact_normaliser(settings))
