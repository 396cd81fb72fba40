"""Opening the store the settings name."""

from __future__ import annotations

from api.settings import Settings
from graph.embedded_store import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """The store every command and the API use, chosen by `WUTONG_STORE`."""
    if settings.store == "embedded":
        return EmbeddedStore(settings.embedded_dir)
    return Neo4jStore.connect(
        settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password_value(),
        settings.neo4j_database,
    )
