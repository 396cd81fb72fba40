"""The HTTP API: pushes, entities, review, keys and audit under `/v1`; health, readiness
and metrics at the root.

The store, key store, audit log and record-by-record resolver are opened in the lifespan
and reached through `ServicesDep`. `app.state.post_push_callbacks` is the list of
`api.push.PostPushCallback`s run after every push with the stored records and their
resolution outcomes (where the dispute network's upkeep attaches); it may be filled before
the app starts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, TypeAdapter

from api.analytics_service import AnalyticsService
from api.audit import AuditLog
from api.auth import AnyCaller
from api.keys import KeyStore
from api.metrics import Metrics
from api.push import PostPushCallback
from api.resolve_command import options_from
from api.routes import admin, alerts, analytics, entities, records, review
from api.routes.common import errors
from api.services import Services, ServicesDep
from api.settings import Settings
from api.stores import open_store
from graph.errors import (
    AlertChanged,
    AlertNotFound,
    AlertStateError,
    AlreadyDecided,
    AuditLogError,
    KeyStoreError,
    ReviewError,
    StoreError,
    UnknownReview,
)
from graph.records import SCHEMA_VERSION
from graph.store import ResolvingStore
from resolver.online import OnlineResolver, load_models

logger = logging.getLogger(__name__)

NOTIFICATION_LOGGER = "neo4j.notifications"


class FirstOfEachNotification(logging.Filter):
    """Lets through the first log record of each distinct notification (same text: status,
    description, position and query), and drops its repeats.

    The Neo4j driver logs every notification a statement draws, each time it runs, at the
    level of its severity (a deprecation as a warning, a performance hint as information).
    The store's driver already asks the server not to send the one kind every push drew
    (a label or property not written yet: `graph.neo4j_store`); any other still repeats
    with every push that runs its statement, so it is said once per process, at its own
    level. At most `limit` distinct notifications are remembered; past that they all pass.
    """

    def __init__(self, limit: int = 1000) -> None:
        super().__init__()
        self._seen: set[str] = set()
        self._limit = limit
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        with self._lock:
            if text in self._seen:
                return False
            if len(self._seen) < self._limit:
                self._seen.add(text)
        return True


def quiet_repeated_notifications() -> None:
    """Install `FirstOfEachNotification` on the driver's notification logger, once."""
    notifications = logging.getLogger(NOTIFICATION_LOGGER)
    if not any(isinstance(f, FirstOfEachNotification) for f in notifications.filters):
        notifications.addFilter(FirstOfEachNotification())


class StatsOut(BaseModel):
    store: str
    schema_version: str
    records_by_kind: dict[str, int]
    records_by_source: dict[str, int]
    record_versions: int
    nodes_by_label: dict[str, int]
    edges_by_type: dict[str, int]


def create_app(settings: Settings) -> FastAPI:
    quiet_repeated_notifications()
    metrics = Metrics()
    callbacks: list[PostPushCallback] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with ExitStack() as stack:
            store = stack.enter_context(open_store(settings))
            if not isinstance(store, ResolvingStore):
                raise StoreError(f"the {settings.store} store keeps no resolved entities")
            keys = KeyStore(settings.api_dir / "keys.sqlite3")
            stack.callback(keys.close)
            audit = AuditLog(settings.api_dir / "audit.sqlite3")
            stack.callback(audit.close)
            resolver = OnlineResolver(store, load_models(settings.models_dir),
                                      options_from(settings))
            metrics.watch_review_queue(store)
            analytics = AnalyticsService(store, settings, metrics.callback_failures.inc)
            callbacks.append(analytics.on_push)
            stack.callback(callbacks.remove, analytics.on_push)
            app.state.services = Services(settings, store, resolver, keys, audit, metrics,
                                          analytics, callbacks)
            app.state.keys = keys
            yield

    app = FastAPI(
        title="Wutong", version="0.1.0", lifespan=lifespan,
        description=_DESCRIPTION,
    )
    app.state.post_push_callbacks = callbacks
    app.middleware("http")(metrics.middleware)
    _add_error_handlers(app, settings)
    for router in (records.router, entities.router, analytics.router, alerts.router,
                   review.router, admin.router):
        app.include_router(router)
    _add_operations(app, settings, metrics)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


_DESCRIPTION = """Entity resolution and dispute network over departments' records.

Every `/v1` endpoint needs `Authorization: Bearer KEY` (keys are made with
`wutong keys create` or `POST /v1/keys`). Roles: **pusher** (pushes its own department's
records, reads nothing personal), **analyst** (reads; ID numbers and phones masked),
**reviewer** (reads in full, decides matches), **admin** (everything, manages keys, reads
the audit log). No valid key: 401; a role without the right: 403. Reads of unmasked
personal data and every decision are written to an append-only audit log. Lists take
`limit` and `offset`. When the store is down the API answers 503 with Retry-After."""


def _add_operations(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    @app.get("/health", tags=["operations"])
    def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/ready", tags=["operations"], responses=errors(503))
    def ready(request: Request) -> JSONResponse:
        """Readiness: the store answers a query (one index lookup: cheap to probe often)."""
        services: Services = request.app.state.services
        try:
            services.store.get_record("", "")
        except StoreError:
            # The detail names hosts and paths; the operator reads it in the server log.
            logger.exception("readiness check failed")
            return JSONResponse({"status": "unavailable", "reason": "store unavailable"},
                                status_code=503,
                                headers={"Retry-After": str(settings.api_retry_after_seconds)})
        return JSONResponse({"status": "ready", "store": settings.store})

    @app.get("/metrics", tags=["operations"], response_class=Response,
             responses={200: {"content": {"text/plain": {}}}})
    def prometheus() -> Response:
        """Prometheus metrics (text exposition format)."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/v1/stats", tags=["store"], response_model=StatsOut,
             responses=errors(401, 403, 503))
    def stats(caller: AnyCaller, services: ServicesDep) -> StatsOut:
        """How many records of each kind and source, and the graph's size (any role)."""
        counts = services.store.counts()
        return StatsOut(
            store=settings.store, schema_version=SCHEMA_VERSION,
            records_by_kind=counts.records_by_kind, records_by_source=counts.records_by_source,
            record_versions=counts.record_versions, nodes_by_label=counts.nodes_by_label,
            edges_by_type=counts.edges_by_type,
        )


def _add_error_handlers(app: FastAPI, settings: Settings) -> None:
    retry = {"Retry-After": str(settings.api_retry_after_seconds)}

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        logger.error("store, key store or audit log unavailable: %s", exc)
        return JSONResponse({"detail": "the store is unavailable; retry later"},
                            status_code=503, headers=retry)

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = list(exc.errors())
        if any(p.get("type") == "json_invalid" for p in problems):
            return JSONResponse({"detail": "the body is not valid JSON"}, status_code=400)
        return JSONResponse({"detail": jsonable_encoder(problems)}, status_code=422)

    async def review_error(request: Request, exc: Exception) -> JSONResponse:
        status = 404 if isinstance(exc, UnknownReview) else 409
        return JSONResponse({"detail": str(exc)}, status_code=status)

    for down in (StoreError, AuditLogError, KeyStoreError):
        app.add_exception_handler(down, unavailable)
    app.add_exception_handler(RequestValidationError, invalid)
    for error in (ReviewError, AlreadyDecided, UnknownReview):
        app.add_exception_handler(error, review_error)

    async def alert_error(request: Request, exc: Exception) -> JSONResponse:
        status = 404 if isinstance(exc, AlertNotFound) else 409
        return JSONResponse({"detail": str(exc)}, status_code=status)

    for alert_class in (AlertNotFound, AlertStateError, AlertChanged):
        app.add_exception_handler(alert_class, alert_error)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema plus the push body, which the handler reads itself."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)
    push = TypeAdapter(records.PushIn).json_schema(
        ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(push.pop("$defs", {}))
    components["PushIn"] = push
    app.openapi_schema = schema
    return schema
