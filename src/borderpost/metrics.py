"""Prometheus metrics: request rates and latencies per route, and gauges read at scrape time.

With several worker processes set PROMETHEUS_MULTIPROC_DIR to an empty directory before start
(docs/operations.md): each worker then writes its figures there and any worker serves the sum.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = Counter(
    "borderpost_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "borderpost_http_request_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

# Gauges that are read from the database at scrape time: name -> (help, reader).
GaugeReader = Callable[[], dict[tuple[str, ...], float]]
_GAUGES: dict[str, tuple[str, list[str], GaugeReader]] = {}


def register_gauge(name: str, help_text: str, labels: list[str], reader: GaugeReader) -> None:
    _GAUGES[name] = (help_text, labels, reader)


class _GaugeCollector:
    def collect(self):
        for name, (help_text, labels, reader) in _GAUGES.items():
            family = GaugeMetricFamily(name, help_text, labels=labels)
            for label_values, value in reader().items():
                family.add_metric(list(label_values), value)
            yield family


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/metrics":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            # The route template, never the concrete path: ids must not become label values.
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)


def metrics_endpoint(_request: Request) -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    output = generate_latest(registry)
    gauges = CollectorRegistry()
    gauges.register(_GaugeCollector())
    return Response(output + generate_latest(gauges), media_type=CONTENT_TYPE_LATEST)
