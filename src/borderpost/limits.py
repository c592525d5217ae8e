"""Limits at the edge, before any route runs: body size, slow bodies, NUL in the query string.

A body is refused with 413 as soon as it is known to be too large: at once when its
Content-Length says so (nothing is read), else when the bytes counted so far pass the limit (a
chunked upload is cut off there). Routes that take a list file (`.../import`) have a larger limit
of their own. The limit is per request, so memory stays bounded whatever the client sends.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

import anyio
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderpost.errors import PROBLEM_BASE

PROBLEM_JSON = b"application/problem+json"
# List uploads of the API: watchlists, permits, document alerts, the tariff.
IMPORT_PATH = re.compile(r"^/api/v1/.+/import$")


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the counted bytes pass the limit: FastAPI lets an HTTPException
    through its body parsing, and the problem handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes.")


class BodyTooSlow(HTTPException):
    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"The request body stalled for more than {seconds:g} seconds.")


def _problem(status: int, slug: str, title: str, detail: str, **extra: object) -> bytes:
    body = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail}
    body.update(extra)
    return json.dumps(body).encode()


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON),
                (b"content-length", str(len(body)).encode()),
                # the body was not read: the connection cannot carry another request
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def nul_field(query_string: bytes, path: str) -> str | None:
    """The first query parameter (or the path) holding a NUL character, if any."""
    if "\x00" in path:
        return "path"
    if b"%00" not in query_string.lower() and b"\x00" not in query_string:
        return None
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "") or "query"
    return None


class LimitsMiddleware:
    """Pure ASGI: wraps `receive` to count the body; answers 413, 408 or 422 itself when it can."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_import_bytes: int,
        body_timeout_seconds: float,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_import_bytes = max_import_bytes
        self.body_timeout_seconds = body_timeout_seconds

    def limit_for(self, path: str) -> int:
        return self.max_import_bytes if IMPORT_PATH.match(path) else self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        field = nul_field(scope.get("query_string", b""), scope["path"])
        if field is not None:
            body = _problem(
                422,
                "invalid-input",
                "Invalid input",
                f"Invalid: {field}.",
                errors=[{"field": field, "message": "contains a NUL character"}],
            )
            await _answer(send, 422, body)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared == -1:
            await _answer(
                send,
                400,
                _problem(400, "bad-request", "Bad request", "Content-Length is not a number."),
            )
            return
        if declared is not None and declared > limit:
            detail = f"The request body is larger than {limit} bytes."
            body = _problem(413, "too-large", "Request body too large", detail, limit=limit)
            await _answer(send, 413, body)
            return
        received = 0
        finished = False
        timeout = self.body_timeout_seconds

        async def counting_receive() -> Message:
            nonlocal received, finished
            if finished:
                # After the body, receive() only waits for the client to go away: no timeout.
                return await receive()
            try:
                with anyio.fail_after(timeout):
                    message = await receive()
            except TimeoutError:
                raise BodyTooSlow(timeout) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
                finished = not message.get("more_body", False)
            return message

        await self.app(scope, counting_receive, send)


def _content_length(scope: Scope) -> int | None:
    """The declared length; None when absent, -1 when it is not a number."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None
