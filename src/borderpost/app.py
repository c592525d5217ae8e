"""create_app(settings): the FastAPI application with every domain's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.telemetry import TelemetryConfig
from sqlalchemy.orm import Session

from borderpost import __version__
from borderpost.admission.api import router as admission_router
from borderpost.api_docs import docs_router
from borderpost.audit.access_api import router as access_router
from borderpost.audit.api import router as audit_router
from borderpost.auth.api import router as auth_router
from borderpost.auth.permissions import Permission
from borderpost.cargo import queue_service
from borderpost.cargo.api import router as cargo_router
from borderpost.clearance.api import router as clearance_router
from borderpost.config import Settings
from borderpost.crossing.api import router as crossing_router
from borderpost.db import Database
from borderpost.failures import FailureMiddleware
from borderpost.health import router as health_router
from borderpost.limits import LimitsMiddleware
from borderpost.logs import configure_logging
from borderpost.metrics import MetricsMiddleware, metrics_endpoint, register_gauge
from borderpost.middleware import RequestIdMiddleware
from borderpost.openapi import install_openapi
from borderpost.problems import install_problem_handlers
from borderpost.report.api import public_router
from borderpost.report.api import router as report_router
from borderpost.report.public import PublicAnswers
from borderpost.screening.api import router as screening_router
from borderpost.security_headers import SecurityHeadersMiddleware
from borderpost.transit.api import router as transit_router
from borderpost.traveller.api import router as traveller_router
from borderpost.web.routes import pages_router

API_PREFIX = "/api/v1"


# A request is matched against the routes in this order, one by one (FastAPI's router has no
# index), so the busiest come first: the public status, a crossing's own routes (its read), the
# movements, the trucks. The order means nothing else: tests/test_route_order.py fails if two
# routes could answer the same request.
DOMAIN_ROUTERS: tuple[APIRouter, ...] = (
    public_router,
    crossing_router,
    traveller_router,
    cargo_router,
    auth_router,
    clearance_router,
    transit_router,
    screening_router,
    admission_router,
    report_router,
    audit_router,
    access_router,
)


def route_permissions() -> dict[tuple[str, str], Permission | None]:
    """(method, path) -> the permission its dependency demands; None for public routes."""
    table: dict[tuple[str, str], Permission | None] = {}
    for router in DOMAIN_ROUTERS:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            needed = [
                d.call.permission  # type: ignore[union-attr]
                for d in route.dependant.dependencies
                if hasattr(d.call, "permission")
            ]
            for method in route.methods:
                table[(method, API_PREFIX + route.path)] = needed[0] if needed else None
    return table


def _read(database: Database, query: Callable[[Session], dict]) -> dict:
    with database.reader() as session:
        return query(session)


def _thread_limit(threads: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Sync routes run in AnyIO's thread pool (40 threads by default). One thread at a time runs
    Python in a process: with many busy threads the event loop waits for its turn, and requests
    queue behind it (closed loop, 2 workers: 140 movements/s with 40 threads, 200/s with 8)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


_NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, json=settings.log_json)
    app = FastAPI(
        lifespan=_thread_limit(settings.threads),
        title="Borderpost",
        version=__version__,
        summary="Runs a land border crossing.",
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        # FastAPI's own OpenTelemetry hooks, off: nothing here exports traces (metrics.py serves
        # Prometheus), their checks cost every request, and their exception logs would carry
        # messages that may quote personal data (failures.py logs types and frames only).
        telemetry=_NO_TELEMETRY,
    )
    app.state.settings = settings
    app.state.db = database or Database(settings.database_url, echo=settings.sql_echo)
    app.state.public_answers = PublicAnswers(settings.public_status_seconds)
    install_problem_handlers(app)
    # Innermost first: the limits, then the failures' answers, then the headers every answer
    # carries (a 413 or a 503 included).
    app.add_middleware(
        LimitsMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_import_bytes=settings.max_import_bytes,
        body_timeout_seconds=settings.body_timeout_seconds,
    )
    app.add_middleware(FailureMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(RequestIdMiddleware)
    app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    app.include_router(health_router)
    register_gauge(
        "borderpost_queue_length",
        "Trucks waiting, by crossing and risk lane",
        ["crossing", "lane"],
        lambda: _read(app.state.db, queue_service.queue_lengths),
    )
    # Each domain's routes straight under the application, not under an /api/v1 router of their
    # own: a request is matched against every route up to its own twice (once to choose, once to
    # hand over) at each level of inclusion, so one level less is that much less work each time.
    for router in DOMAIN_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(docs_router(f"{API_PREFIX}/openapi.json"))
    app.include_router(pages_router())
    install_openapi(app, route_permissions())
    return app
