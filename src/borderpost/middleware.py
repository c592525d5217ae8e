"""Request id and access log on every request (path only: query strings can hold personal data)."""

from __future__ import annotations

import re
import secrets
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderpost.logs import get_logger, request_id_var

log = get_logger("borderpost.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware), so it costs little on the hot path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope["headers"]) or secrets.token_hex(8)
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            request_id_var.reset(token)


def _incoming_id(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The client's X-Request-Id when it is a safe one (a scan: no dict of every header)."""
    for name, value in headers:
        if name == b"x-request-id":
            incoming = value.decode("latin-1")
            return incoming if _SAFE_ID.match(incoming) else None
    return None
