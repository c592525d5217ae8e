"""Login throttling and lockout, token revocation, disabled users, the password policy."""

from __future__ import annotations

import ast
import inspect
import secrets
import textwrap

import httpx
import pytest
from fastapi.routing import APIRoute

from borderpost.app import DOMAIN_ROUTERS
from borderpost.auth import service
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.db import Database
from borderpost.errors import DomainError
from tests.conftest import Api

PASSWORD = "a-quite-long-passphrase"
MAX_FAILURES = 5  # the default per-account limit


def new_user(db: Database, role: Role = Role.CUSTOMS) -> str:
    name = f"u{secrets.token_hex(4)}"
    with db.transaction() as s:
        service.create_user(
            s, username=name, password=PASSWORD, role=role, country="IRQ", actor=SYSTEM
        )
    return name


def login(api: Api, username: str, password: str) -> httpx.Response:
    return api.http.post("/auth/token", data={"username": username, "password": password})


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    api: Api, database: Database
):
    name = new_user(database)
    for _ in range(MAX_FAILURES):
        assert login(api, name, "wrong-password-x").status_code == 401
    locked = login(api, name, PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["type"].endswith("/login-locked")
    assert int(locked.headers["Retry-After"]) > 0
    other = new_user(database)
    assert login(api, other, PASSWORD).status_code == 200, "other accounts are not locked"


def test_a_success_resets_the_failure_count(api: Api, database: Database):
    name = new_user(database)
    for _ in range(MAX_FAILURES - 1):
        login(api, name, "wrong-password-x")
    assert login(api, name, PASSWORD).status_code == 200
    for _ in range(MAX_FAILURES - 1):
        login(api, name, "wrong-password-x")
    assert login(api, name, PASSWORD).status_code == 200


def test_logout_revokes_the_token(api: Api, database: Database):
    name = new_user(database)
    token = login(api, name, PASSWORD).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert api.http.get("/crossings", headers=auth).status_code == 200
    assert api.http.post("/auth/logout", headers=auth).status_code == 200
    assert api.http.get("/crossings", headers=auth).status_code == 401
    fresh = login(api, name, PASSWORD).json()["access_token"]
    assert (
        api.http.get("/crossings", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    )


def test_a_revoked_token_is_refused_by_routes_that_need_no_database(api: Api, database: Database):
    token = login(api, new_user(database), PASSWORD).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert api.http.get("/hs-codes", params={"q": "8703"}, headers=auth).status_code == 200
    assert api.http.post("/auth/logout", headers=auth).status_code == 200
    assert api.http.get("/hs-codes", params={"q": "8703"}, headers=auth).status_code == 401


def test_every_route_confirms_its_token_against_the_user_row():
    """A route's session opens on first use, and opening is what checks revocation: every route
    with a Reader or a Tx must use it (`.db`, `.actor`, `.done`, `.confirm()`, or pass it on)."""
    unused = []
    for route in api_routes():
        source = textwrap.dedent(inspect.getsource(route.endpoint))
        function = ast.parse(source).body[0]
        assert isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for arg in function.args.args + function.args.kwonlyargs:
            if arg.annotation is None or ast.unparse(arg.annotation) not in ("Reader", "Tx"):
                continue
            names = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == arg.arg]
            if not names:
                unused.append(f"{route.path} {route.endpoint.__name__}({arg.arg})")
    assert unused == []


def api_routes() -> list[APIRoute]:
    return [r for router in DOMAIN_ROUTERS for r in router.routes if isinstance(r, APIRoute)]


def test_a_disabled_user_loses_tokens_and_login(api: Api, database: Database):
    name = new_user(database)
    token = login(api, name, PASSWORD).json()["access_token"]
    users = api.get("/users", Role.ADMIN).json()
    user_id = next(u["id"] for u in users if u["username"] == name)
    disabled = api.post(f"/users/{user_id}/disable", Role.ADMIN)
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert (
        api.http.get("/crossings", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    assert login(api, name, PASSWORD).status_code == 401
    assert api.post(f"/users/{user_id}/disable", Role.ADMIN).status_code == 409


def test_an_expired_token_is_refused(api: Api, database: Database):
    name = new_user(database)
    with database.transaction() as s:
        user = service.authenticate(s, username=name, password=PASSWORD)
        token = service.issue_token(
            user, secret=api.server.app.state.settings.secret_key, minutes=-1
        )
    response = api.http.get("/crossings", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "password", ["short", "1234567890", "aaaaaaaaaaaa", "x" * 257, "myname-is-good-1"]
)
def test_password_policy(fresh_database: Database, password: str):
    with pytest.raises(DomainError) as exc, fresh_database.transaction() as s:
        service.create_user(
            s, username="myname", password=password, role=Role.ANALYST, country=None, actor=SYSTEM
        )
    assert exc.value.errors[0].field == "password"


def test_an_address_is_locked_after_its_own_limit(fresh_database: Database):
    from borderpost.auth.throttle import Limits

    limits = Limits(per_account=100, per_address=3)
    name = new_user(fresh_database)
    for _ in range(3):
        # The failure is caught inside the transaction, which then commits, as the API does.
        with fresh_database.transaction() as s, pytest.raises(DomainError):
            service.log_in(
                s, username=name, password="nope-nope-nope", address="10.9.9.9", limits=limits
            )
    with pytest.raises(DomainError) as exc, fresh_database.transaction() as s:
        service.log_in(s, username=name, password=PASSWORD, address="10.9.9.9", limits=limits)
    assert exc.value.status == 429
    with fresh_database.transaction() as s:
        assert service.log_in(
            s, username=name, password=PASSWORD, address="10.1.1.1", limits=limits
        )
