"""Opening the store the settings name."""

from __future__ import annotations

from api.settings import Settings
from graph.embedded_store import EmbeddedStore
from graph.store import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """The store every command and the API use, chosen by `WUTONG_STORE`."""
    if settings.store == "embedded":
        return EmbeddedStore(settings.embedded_dir)
    # Imported here: the driver takes a noticeable time to import, and commands that never
    # touch Neo4j (resolving files, generating data) should not pay for it.
    from graph.neo4j_store import Neo4jStore

    return Neo4jStore.connect(
        settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password_value(),
        settings.neo4j_database, settings.neo4j_max_retry_seconds,
    )
