"""Opening the store the settings name."""

from __future__ import annotations

from api.settings import Settings
from graph.embedded_store import EmbeddedStore
from graph.errors import StoreUnavailable
from graph.store import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """The store every command and the API use, chosen by `WUTONG_STORE`."""
    if settings.store == "embedded":
        return EmbeddedStore(settings.embedded_dir)
    raise StoreUnavailable(
        "WUTONG_STORE=neo4j: the Neo4j store is not part of this build yet; "
        "unset WUTONG_STORE to use the embedded store"
    )
