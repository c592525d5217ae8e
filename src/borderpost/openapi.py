"""The OpenAPI schema as the API really answers: every error is application/problem+json.

FastAPI documents its own validation error shape as application/json; we answer RFC 9457 problem
details for every error, so the schema is rewritten once here rather than in every route. Each
operation also gets `x-permission` and the errors its guard and its rules can produce.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from borderpost.auth.permissions import Permission
from borderpost.problems import PROBLEM_JSON, FieldProblem, Problem

_ERROR_TEXT = {
    400: "Bad request",
    401: "Not authenticated",
    403: "The role may not do this",
    404: "Not found",
    409: "A rule forbids this now",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input; the fields are named",
}


def install_openapi(app: FastAPI, permissions: dict[tuple[str, str], Permission | None]) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            _rewrite(schema, permissions)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _rewrite(schema: dict[str, Any], permissions: dict[tuple[str, str], Permission | None]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    components["FieldProblem"] = FieldProblem.model_json_schema()
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    problem.pop("$defs", None)
    components["Problem"] = problem
    problem_content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            permission = permissions.get((method.upper(), path))
            statuses = {422}
            if permission is not None:
                statuses |= {401, 403}
                operation["x-permission"] = permission.value
            if "{" in path:
                statuses.add(404)
            if method == "post":
                statuses |= {400, 409, 413, 415}
            if path.endswith("/auth/token"):
                statuses.add(401)
            for status in statuses:
                responses.setdefault(str(status), {"description": _ERROR_TEXT[status]})
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    response["content"] = problem_content
                    response.setdefault("description", _ERROR_TEXT.get(int(status), "Problem"))
