"""The token check is cached in the process, yet a revocation, a disabled account, a new role or
a new scope is refused on the very next request, and no cached answer outlives its time."""

from __future__ import annotations

import secrets
import time

import jwt
import pytest
from sqlalchemy import select, text

from borderpost.auth import service, users
from borderpost.auth.models import User
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.db import Database
from borderpost.errors import DomainError
from tests.conftest import Api

PASSWORD = "a-quite-long-passphrase"


def new_user(db: Database, role: Role = Role.CUSTOMS) -> tuple[str, str]:
    name = f"u{secrets.token_hex(4)}"
    with db.transaction() as s:
        user = service.create_user(
            s, username=name, password=PASSWORD, role=role, country="IRQ", actor=SYSTEM
        )
        return name, user.id


def bearer(api: Api, name: str) -> dict[str, str]:
    response = api.http.post("/auth/token", data={"username": name, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def change(db: Database, user_id: str, what) -> None:
    """A change made outside the server (another process, the CLI): nothing tells its cache."""
    with db.transaction() as s:
        user = s.get(User, user_id)
        assert user is not None
        what(s, user)


def test_revocation_refuses_the_next_request(api: Api, database: Database):
    name, user_id = new_user(database)
    auth = bearer(api, name)
    for _ in range(3):  # the check is cached now
        assert api.http.get("/crossings", headers=auth).status_code == 200
    change(
        database, user_id, lambda s, u: service.revoke_tokens(s, user=u, actor=SYSTEM, reason="t")
    )
    assert api.http.get("/crossings", headers=auth).status_code == 401


def test_a_disabled_account_is_refused_on_the_next_request(api: Api, database: Database):
    name, user_id = new_user(database)
    auth = bearer(api, name)
    assert api.http.get("/crossings", headers=auth).status_code == 200
    change(database, user_id, lambda s, u: users.disable_user(s, user=u, actor=SYSTEM))
    assert api.http.get("/crossings", headers=auth).status_code == 401
    change(database, user_id, lambda s, u: users.enable_user(s, user=u, actor=SYSTEM))
    assert api.http.get("/crossings", headers=auth).status_code == 401, "its tokens stay revoked"
    assert api.http.get("/crossings", headers=bearer(api, name)).status_code == 200


def test_a_new_scope_applies_on_the_next_request(api: Api, database: Database, crossing_code: str):
    name, user_id = new_user(database)
    auth = bearer(api, name)
    path = f"/crossings/{crossing_code}/trucks"
    assert api.http.get(path, headers=auth).status_code == 200
    change(
        database,
        user_id,
        lambda s, u: users.set_scope(s, user=u, country="JOR", crossings=[], actor=SYSTEM),
    )
    refused = api.http.get(path, headers=auth)
    assert refused.status_code == 403 and refused.json()["type"] == "/problems/out-of-scope"
    change(
        database,
        user_id,
        lambda s, u: users.set_scope(s, user=u, country="IRQ", crossings=[], actor=SYSTEM),
    )
    assert api.http.get(path, headers=auth).status_code == 200


def test_a_new_role_made_directly_on_the_row_is_refused_on_the_next_request(
    api: Api, database: Database
):
    name, user_id = new_user(database)
    auth = bearer(api, name)
    assert api.http.get("/crossings", headers=auth).status_code == 200

    def demote(_s, user: User) -> None:
        user.role = Role.ANALYST

    change(database, user_id, demote)
    assert api.http.get("/crossings", headers=auth).status_code == 401


def test_a_cached_check_does_not_outlive_its_time(
    database: Database, monkeypatch: pytest.MonkeyPatch
):
    _name, user_id = new_user(database)
    with database.transaction() as s:
        user = s.get(User, user_id)
        assert user is not None
        claims = service.token_claims(service.issue_token(user, secret="s" * 32, minutes=5),
                                      secret="s" * 32)  # fmt: skip
    now = [1000.0]
    monkeypatch.setattr(service, "_clock", lambda: now[0])
    with database.reader() as s:
        assert service.user_for_claims(s, claims).user_id == user_id
    # A change that bypasses the account's revision (plain SQL): only the cache's time ends it.
    with database.transaction() as s:
        s.execute(text("UPDATE user_account SET active = :no WHERE id = :id"),
                  {"no": False, "id": user_id})  # fmt: skip
    with database.reader() as s:
        assert service.user_for_claims(s, claims).user_id == user_id, "still the cached copy"
    now[0] += service.CHECK_SECONDS
    with database.reader() as s, pytest.raises(DomainError) as refused:
        service.user_for_claims(s, claims)
    assert refused.value.status == 401


def test_every_account_change_is_a_new_revision(database: Database):
    _name, user_id = new_user(database)

    def revision() -> int:
        with database.reader() as s:
            return s.scalar(select(User.revision).where(User.id == user_id))

    before = revision()
    steps = [
        lambda s, u: users.set_scope(s, user=u, country="JOR", crossings=[], actor=SYSTEM),
        lambda s, u: users.reset_password(
            s, user=u, password="another-long-passphrase", actor=SYSTEM
        ),
        lambda s, u: users.disable_user(s, user=u, actor=SYSTEM),
        lambda s, u: users.enable_user(s, user=u, actor=SYSTEM),
        lambda s, u: service.revoke_tokens(s, user=u, actor=SYSTEM, reason="t"),
    ]
    for step in steps:
        change(database, user_id, step)
        after = revision()
        assert after > before
        before = after


def test_a_verified_token_is_not_trusted_past_its_expiry():
    secret = "e" * 32
    expiry = int(time.time()) + 2
    token = jwt.encode({"sub": "someone", "role": "customs", "ver": 0, "exp": expiry}, secret)
    assert service.token_claims(token, secret=secret).user_id == "someone"
    with pytest.raises(DomainError):
        service.token_claims(token, secret="f" * 32)  # verified for its own secret only
    time.sleep(max(0.0, expiry - time.time()) + 0.05)
    with pytest.raises(DomainError) as expired:
        service.token_claims(token, secret=secret)
    assert expired.value.status == 401
