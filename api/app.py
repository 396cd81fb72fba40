"""The HTTP API. So far: liveness, readiness and what the store holds (no personal data).

The store is opened in the lifespan and closed there; handlers reach it through `StoreDep`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.settings import Settings
from api.stores import open_store
from graph.errors import StoreError
from graph.records import SCHEMA_VERSION
from graph.store import GraphStore

logger = logging.getLogger(__name__)


class StatsOut(BaseModel):
    store: str
    schema_version: str
    records_by_kind: dict[str, int]
    records_by_source: dict[str, int]
    record_versions: int
    nodes_by_label: dict[str, int]
    edges_by_type: dict[str, int]


def _store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(_store)]


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with open_store(settings) as store:
            app.state.store = store
            yield

    app = FastAPI(
        title="Wutong", version="0.1.0", lifespan=lifespan,
        description="Entity resolution and dispute network over departments' records.",
    )

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/ready", tags=["operations"], responses={503: {"description": "Store unavailable"}})
    def ready(store: StoreDep) -> JSONResponse:
        """Readiness: the store answers a query."""
        try:
            store.counts()
        except StoreError:
            # The detail names hosts and paths; the operator reads it in the server log.
            logger.exception("readiness check failed")
            return JSONResponse({"status": "unavailable", "reason": "store unavailable"},
                                status_code=503, headers={"Retry-After": "5"})
        return JSONResponse({"status": "ready", "store": settings.store})

    @app.get("/v1/stats", tags=["store"], response_model=StatsOut)
    def stats(store: StoreDep) -> StatsOut:
        """How many records of each kind and source, and the graph's size."""
        counts = store.counts()
        return StatsOut(
            store=settings.store, schema_version=SCHEMA_VERSION,
            records_by_kind=counts.records_by_kind, records_by_source=counts.records_by_source,
            record_versions=counts.record_versions, nodes_by_label=counts.nodes_by_label,
            edges_by_type=counts.edges_by_type,
        )

    return app
