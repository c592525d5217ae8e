"""Idempotency-Key: durable across a restart, 409 while in progress, a dead claim taken over."""

from __future__ import annotations

import uuid
from datetime import timedelta

from borderpost import idempotency
from borderpost.auth.permissions import Role
from borderpost.db import Database
from tests.conftest import Api, LiveServer, create_role_users

INCIDENT = {
    "kind": "patrol",
    "severity": 1,
    "occurred_at": "2025-02-01T00:00:00Z",
    "description": "d",
}


def new_crossing(api: Api, code: str) -> None:
    response = api.post(
        "/crossings",
        Role.ADMIN,
        {
            "code": code,
            "name": "N",
            "country": "IRQ",
            "neighbour_country": "SYR",
            "counterpart_name": "C",
            "timezone": "Asia/Baghdad",
        },
    )
    assert response.status_code == 201


def test_a_retry_after_a_restart_returns_the_first_response(fresh_database: Database):
    users = create_role_users(fresh_database)
    key = str(uuid.uuid4())
    first_server = LiveServer(fresh_database)
    api = Api(first_server, users)
    new_crossing(api, "IQ-RESTART")
    first = api.post("/crossings/IQ-RESTART/incidents", Role.SECURITY, INCIDENT, key=key)
    first_server.stop()

    second_server = LiveServer(fresh_database)
    api2 = Api(second_server, users)
    again = api2.post("/crossings/IQ-RESTART/incidents", Role.SECURITY, INCIDENT, key=key)
    second_server.stop()
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()


def claim_for(db: Database, username: str, key: str, body: bytes, path: str):
    from sqlalchemy import select

    from borderpost.auth.models import User

    with db.transaction() as s:
        user_id = s.scalar(select(User.id).where(User.username == username))
    session = db.writer()
    try:
        return idempotency.claim(
            session,
            user_id=user_id,
            key=key,
            fingerprint=idempotency.request_hash("POST", path, body),
        )
    finally:
        session.close()


def test_a_repeat_while_the_first_is_in_progress_is_409(
    api: Api, database: Database, crossing_code: str
):
    import json

    key = str(uuid.uuid4())
    path = f"/api/v1/crossings/{crossing_code}/incidents"
    body = json.dumps(INCIDENT).encode()
    claim_for(database, api.users[Role.SECURITY], key, body, path)  # a first request, still running
    response = api.http.post(
        f"/crossings/{crossing_code}/incidents",
        content=body,
        headers=api.headers(
            Role.SECURITY, **{"Idempotency-Key": key, "Content-Type": "application/json"}
        ),
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/idempotency-in-progress")
    assert api.get(f"/crossings/{crossing_code}/incidents", Role.SUPERVISOR).json()["items"] == []


def test_a_claim_whose_request_died_is_taken_over_after_the_lease(
    api: Api, database: Database, crossing_code: str, monkeypatch
):
    import json

    key = str(uuid.uuid4())
    path = f"/api/v1/crossings/{crossing_code}/incidents"
    body = json.dumps(INCIDENT).encode()
    claim_for(database, api.users[Role.SECURITY], key, body, path)
    monkeypatch.setattr(api.server.app.state.settings, "idempotency_lease_seconds", 0)
    response = api.http.post(
        f"/crossings/{crossing_code}/incidents",
        content=body,
        headers=api.headers(
            Role.SECURITY, **{"Idempotency-Key": key, "Content-Type": "application/json"}
        ),
    )
    assert response.status_code == 201
    assert (
        len(api.get(f"/crossings/{crossing_code}/incidents", Role.SUPERVISOR).json()["items"]) == 1
    )


def test_keys_are_per_user(api: Api, crossing_code: str):
    key = str(uuid.uuid4())
    a = api.post(f"/crossings/{crossing_code}/incidents", Role.SECURITY, INCIDENT, key=key)
    b = api.post(f"/crossings/{crossing_code}/incidents", Role.SUPERVISOR, INCIDENT, key=key)
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_an_oversized_key_is_422(api: Api, crossing_code: str):
    response = api.post(
        f"/crossings/{crossing_code}/incidents", Role.SECURITY, INCIDENT, key="k" * 300
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_a_first_attempt_that_outlived_its_lease_cannot_complete(database: Database):
    """The takeover is safe even if the first attempt was only slow, not dead."""
    import pytest

    from borderpost.errors import DomainError

    user = f"u-{uuid.uuid4().hex[:8]}"
    key = str(uuid.uuid4())
    fingerprint = idempotency.request_hash("POST", "/x", b"{}")
    expired = idempotency.Policy(lease=timedelta(seconds=0))
    with database.transaction() as s:
        first = idempotency.claim(s, user_id=user, key=key, fingerprint=fingerprint)
    with database.transaction() as s:
        second = idempotency.claim(
            s, user_id=user, key=key, fingerprint=fingerprint, policy=expired
        )
    assert second.token != first.token
    with pytest.raises(DomainError) as exc, database.transaction() as s:
        idempotency.complete(s, first, status=201, body=b"{}")
    assert exc.value.status == 409
    with database.transaction() as s:
        idempotency.complete(s, second, status=201, body=b"{}")
