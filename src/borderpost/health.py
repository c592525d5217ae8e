"""Health endpoints for load balancers and orchestrators, outside /api/v1 and its tokens.

- `GET /healthz`: the process answers (liveness). Touches no database, so a database outage does
  not get healthy processes restarted.
- `GET /readyz`: the database answers and its schema is at the migrations' head (readiness).
  503 otherwise, so a load balancer sends no traffic to a server that cannot serve it.

Neither says more than its state: no personal data, no host names, no versions.
"""

from __future__ import annotations

from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import text

from borderpost.db import Database
from borderpost.errors import PROBLEM_BASE
from borderpost.failures import log_failure
from borderpost.migrations.run import alembic_config

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}


@cache
def migration_heads() -> frozenset[str]:
    """The revisions the code expects (read from the migration files once per process)."""
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def database_state(database: Database) -> str | None:
    """None when ready; otherwise what is wrong, in words that name no host or data."""
    with database.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
        connection.rollback()
    if current != migration_heads():
        return "the database schema is not at the migrations' head: run `borderpost db upgrade`"
    return None


@router.get("/healthz")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    try:
        problem = await run_in_threadpool(database_state, request.app.state.db)
    except Exception as exc:
        log_failure("readiness_check_failed", exc)
        problem = "the database cannot be reached"
    if problem is None:
        return JSONResponse({"status": "ready"}, headers=NO_STORE)
    body = {
        "type": PROBLEM_BASE + "not-ready",
        "title": "Not ready",
        "status": 503,
        "detail": problem,
    }
    return JSONResponse(
        body, status_code=503, media_type="application/problem+json", headers=NO_STORE
    )
