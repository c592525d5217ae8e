"""Unexpected failures: 503 for storage that cannot serve (read-only, full, unreachable), 500
for anything else, logged without personal data, with the request id and the security headers.

Starlette answers an unhandled exception from its outermost layer, outside our middlewares, so
the response would lack the request id and the security headers (and the id would already be
gone from the log context). `FailureMiddleware` sits inside them and answers first.
"""

from __future__ import annotations

import errno
import json
import traceback
from typing import Any

from sqlalchemy import exc as sa_exc
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderpost.errors import PROBLEM_BASE
from borderpost.logs import get_logger, request_id_var

log = get_logger("borderpost.errors")

# PostgreSQL SQLSTATE classes that mean the database cannot serve now, not that the request is
# wrong: connection exceptions, insufficient resources (disk full), operator intervention
# (shutdown), system errors, and a write sent to a read-only standby.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P", "58", "25006")
_UNAVAILABLE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO, errno.EACCES}
RETRY_AFTER_SECONDS = 30


def storage_unavailable(exc: BaseException) -> bool:
    """True when the failure is the storage's (read-only file, disk full, database down)."""
    unavailable = (
        sa_exc.OperationalError,
        sa_exc.InterfaceError,
        sa_exc.TimeoutError,
        sa_exc.DisconnectionError,
    )
    if isinstance(exc, unavailable):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        sqlstate = getattr(exc.orig, "sqlstate", None) or ""
        return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    if isinstance(exc, OSError):
        return exc.errno in _UNAVAILABLE_ERRNOS
    return False


def failure_problem(exc: BaseException) -> dict[str, Any]:
    """The problem body: never the exception's text, which may hold personal data."""
    rid = request_id_var.get()
    if storage_unavailable(exc):
        return {
            "type": PROBLEM_BASE + "storage-unavailable",
            "title": "Storage unavailable",
            "status": 503,
            "detail": "The database cannot serve the request now; nothing was recorded. "
            f"Try again shortly (request {rid}).",
            "request_id": rid,
        }
    return {
        "type": PROBLEM_BASE + "internal-error",
        "title": "Internal error",
        "status": 500,
        "detail": f"An unexpected error occurred (request {rid}).",
        "request_id": rid,
    }


def log_failure(event: str, exc: BaseException, **fields: Any) -> None:
    level = log.warning if storage_unavailable(exc) else log.error
    level(event, error=describe_exception(exc), **fields)


# --- exceptions described for the log, without their messages ---------------------------------


def _summary(exc: BaseException) -> str:
    """The exception's type and what identifies the failure, never its message: a PostgreSQL
    unique violation quotes the duplicate value, a ValueError may quote its input."""
    kind = type(exc)
    parts = [f"{kind.__module__}.{kind.__qualname__}"]
    if isinstance(exc, sa_exc.StatementError) and exc.statement:
        # The statement has placeholders, never values (and the engine hides parameters).
        parts.append("sql=" + " ".join(exc.statement.split())[:500])
    orig = getattr(exc, "orig", None)
    for source in (exc, orig):
        if source is None:
            continue
        sqlstate = getattr(source, "sqlstate", None)
        if sqlstate:
            parts.append(f"sqlstate={sqlstate}")
        name = getattr(source, "sqlite_errorname", None)
        if name:
            parts.append(f"sqlite={name}")
        diag = getattr(source, "diag", None)
        for attr in ("table_name", "column_name", "constraint_name"):
            value = getattr(diag, attr, None)
            if value:
                parts.append(f"{attr.removesuffix('_name')}={value}")
    if isinstance(exc, OSError) and exc.errno in errno.errorcode:
        parts.append(f"errno={errno.errorcode[exc.errno]}")
    if orig is not None:
        parts.append(f"driver={type(orig).__module__}.{type(orig).__qualname__}")
    return " ".join(parts)


def describe_exception(exc: BaseException) -> str:
    """A traceback with every frame and exception type, but no exception message."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    lines: list[str] = []
    for item in reversed(chain):
        lines.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(item.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        lines.append(_summary(item))
    return "\n".join(lines)


# --- the middleware -------------------------------------------------------------------------


class FailureMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log_failure("unhandled_error", exc, path=scope["path"], started=started)
            if started:
                return  # the client sees a cut response; nothing else can be said now
            body = failure_problem(exc)
            if _wants_page(scope):
                await _error_page(scope, body["status"])(scope, receive, send)
                return
            headers = [(b"content-type", b"application/problem+json")]
            if body["status"] == 503:
                headers.append((b"retry-after", str(RETRY_AFTER_SECONDS).encode()))
            start = {"type": "http.response.start", "status": body["status"], "headers": headers}
            await send(start)
            await send({"type": "http.response.body", "body": json.dumps(body).encode()})


def _wants_page(scope: Scope) -> bool:
    from starlette.requests import Request

    from borderpost.web.edge import wants_html

    return wants_html(Request(scope))


def _error_page(scope: Scope, status: int) -> ASGIApp:
    """A browser gets the error as a page in its language (the web edge renders it)."""
    from starlette.requests import Request

    from borderpost.web.edge import browser_error_page

    return browser_error_page(Request(scope), status)
