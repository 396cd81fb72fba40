"""What the API's handlers work with, opened once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from api.analytics_service import AnalyticsService
from api.audit import AuditLog
from api.keys import KeyStore
from api.metrics import Metrics
from api.push import PostPushCallback
from api.settings import Settings
from graph.store import ResolvingStore
from resolver.online import OnlineResolver


@dataclass
class Services:
    settings: Settings
    store: ResolvingStore
    resolver: OnlineResolver
    keys: KeyStore
    audit: AuditLog
    metrics: Metrics
    analytics: AnalyticsService
    post_push_callbacks: list[PostPushCallback] = field(default_factory=list)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]
