"""Walk every route with every role and with no token: the permission table is what is enforced."""

from __future__ import annotations

import re

import pytest

from borderpost.app import API_PREFIX, route_permissions
from borderpost.auth.permissions import Role, has_permission
from tests.conftest import Api

PUBLIC = {("POST", f"{API_PREFIX}/auth/token")}


def test_every_route_in_the_schema_is_in_the_table(api: Api):
    schema = api.http.get("/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert documented == set(route_permissions())


def test_only_public_routes_need_no_permission():
    unguarded = {k for k, v in route_permissions().items() if v is None}
    assert unguarded == PUBLIC | {k for k in unguarded if k[1].startswith(f"{API_PREFIX}/public/")}


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "unknown-id"), path)


@pytest.fixture
def path_values(api: Api, crossing_code: str) -> dict[str, str]:
    a = api.post(
        f"/crossings/{crossing_code}/assessments",
        Role.SUPERVISOR,
        {
            "title": "t",
            "findings": "f",
            "recommendation": "reopen",
            "traffic": ["cargo"],
        },
    ).json()
    return {"code": crossing_code, "assessment_id": a["id"]}


def call(api: Api, method: str, path: str, role: Role | None):
    relative = path.removeprefix(API_PREFIX)
    if method == "GET":
        return api.get(relative, role)
    # An empty body: a permitted role gets 422, never a write.
    return api.post(relative, role, {})


def test_every_route_with_every_role_and_without_a_token(api: Api, path_values: dict[str, str]):
    failures = []
    for (method, path), permission in sorted(route_permissions().items()):
        if permission is None:
            continue
        concrete = fill(path, path_values)
        anonymous = call(api, method, concrete, None)
        if anonymous.status_code != 401:
            failures.append(f"{method} {path} without token: {anonymous.status_code}")
        if path.endswith("/auth/logout"):
            continue  # every role may log out; doing so here would revoke the walk's own tokens
        for role in Role:
            status = call(api, method, concrete, role).status_code
            allowed = has_permission(role, permission)
            if (
                (allowed and status in (401, 403))
                or (not allowed and status != 403)
                or status >= 500
            ):
                failures.append(f"{method} {path} as {role.value}: {status} (allowed={allowed})")
    assert not failures, "\n".join(failures)
