"""Prometheus metrics at `GET /metrics`: request rates and latencies by route, records
pushed by outcome, and the review queue's size (read from the store at each scrape).

Each app has its own registry, so several apps in one process (the tests) do not clash.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from graph.errors import StoreError
from graph.store import ResolvingStore


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "wutong_http_requests", "HTTP requests answered, by method, route and status",
            ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram(
            "wutong_http_request_duration_seconds", "Time to answer a request, by route",
            ["method", "route"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
        self.records_pushed = Counter(
            "wutong_records_pushed", "Records received through POST /v1/records, by outcome",
            ["outcome"], registry=self.registry)
        self.callback_failures = Counter(
            "wutong_post_push_callback_failures", "Post-push callbacks that raised",
            registry=self.registry)
        self.review_queue = Gauge(
            "wutong_review_queue_size", "Open review items (NaN while the store is down)",
            registry=self.registry)

    def watch_review_queue(self, store: ResolvingStore) -> None:
        def size() -> float:
            try:
                return float(store.review_count())
            except StoreError:
                return math.nan
        self.review_queue.set_function(size)

    async def middleware(self, request: Request,
                         call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = request.scope.get("route")
            # The route's template, never the raw path: ids must not become label values.
            name = getattr(route, "path", "unmatched")
            self.requests.labels(request.method, name, str(status)).inc()
            self.latency.labels(request.method, name).observe(time.perf_counter() - started)
