"""RFC 9457 problem details: the exception handlers, and their description in the OpenAPI schema."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from borderpost import idempotency
from borderpost.errors import PROBLEM_BASE, DomainError

PROBLEM_JSON = "application/problem+json"


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


_DESCRIPTIONS = {
    401: "Not authenticated",
    403: "The role may not do this",
    404: "Not found",
    409: "A rule forbids this now",
    422: "Invalid input; the fields are named",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        s: {
            "model": Problem,
            "description": _DESCRIPTIONS.get(s, "Problem"),
            "content": {PROBLEM_JSON: {}},
        }
        for s in statuses
    }


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    # ("body", "traffic", 0) -> "traffic[0]"; ("query", "limit") -> "limit"
    parts = [p for p in loc if p not in ("body", "query", "path", "header", "form", "cookie")]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def _message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


def validation_problem(exc: RequestValidationError) -> dict[str, Any]:
    errors = [{"field": _field_name(tuple(e["loc"])), "message": _message(e)} for e in exc.errors()]
    named = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return {
        "type": PROBLEM_BASE + "invalid-input",
        "title": "Invalid input",
        "status": 422,
        "detail": f"Invalid: {named}.",
        "errors": errors,
    }


_HTTP_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    408: "request-timeout",
    413: "too-large",
    415: "unsupported-media-type",
}


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    methods: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            methods |= {m.upper() for m in operations}
    return sorted(methods)


def install_problem_handlers(app: FastAPI) -> None:
    # Browsers get pages, API clients problem details (web.edge.wants_html decides).
    from borderpost.web.edge import browser_error_page, wants_html

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        if wants_html(request) and exc.status != 401:
            return browser_error_page(request, exc.status)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        if "retry_after" in exc.extra:
            headers["Retry-After"] = str(exc.extra["retry_after"])
        return problem_response(exc.problem(), headers or None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return problem_response(validation_problem(exc))

    @app.exception_handler(idempotency.Replay)
    async def _replay(request: Request, exc: idempotency.Replay) -> Response:
        return Response(
            exc.body,
            status_code=exc.status,
            media_type="application/json",
            headers={"Idempotent-Replayed": "true"},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request) and exc.status_code != 405:
            return browser_error_page(request, exc.status_code)
        slug = _HTTP_SLUGS.get(exc.status_code, "http-error")
        body = {
            "type": PROBLEM_BASE + slug,
            "title": str(exc.detail),
            "status": exc.status_code,
            "detail": str(exc.detail),
        }
        headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() != "allow"}
        if exc.status_code == 405:
            # Starlette names only the first route that matched the path; list them all.
            headers["Allow"] = ", ".join(_allowed_methods(app, request.url.path))
        return problem_response(body, headers or None)

    # Anything else is answered by failures.FailureMiddleware (500, or 503 for storage), inside
    # the middlewares that add the request id and the security headers.
