"""A failed write is rolled back at once, even when every route thread is busy.

The rollback of a write that failed after opening its transaction runs in a thread, but not in
the routes' pool: queued behind requests that wait for the lock it still holds (SQLite's write
lock), it would hold that lock until their busy timeout (60 s) and they would fail with 500.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from borderpost.auth.permissions import Role
from borderpost.db import Database
from tests.conftest import PASSWORD, LiveServer, create_role_users, settings_for, unique_code
from tests.traveller.passengers import passport

THREADS = 2


def test_failed_writes_do_not_hold_the_write_lock(fresh_database: Database):
    if fresh_database.dialect != "sqlite":
        pytest.skip("SQLite's single write lock is where a late rollback stalls every writer")
    users = create_role_users(fresh_database)
    settings = settings_for(fresh_database).model_copy(update={"threads": THREADS})
    server = LiveServer(fresh_database, settings)
    try:
        with httpx.Client(base_url=f"{server.url}/api/v1", timeout=120) as http:

            def token(role: Role) -> dict[str, str]:
                form = {"username": users[role], "password": PASSWORD}
                issued = http.post("/auth/token", data=form).json()["access_token"]
                return {"Authorization": f"Bearer {issued}"}

            code = unique_code()
            created = http.post(
                "/crossings",
                headers=token(Role.ADMIN),
                json={
                    "code": code, "name": "x", "country": "IRQ", "neighbour_country": "SYR",
                    "counterpart_name": "y", "timezone": "Asia/Baghdad",
                },
            )  # fmt: skip
            assert created.status_code == 201, created.text
            officer = token(Role.IMMIGRATION)
        answers: list[tuple[float, int]] = []
        stop = time.monotonic() + 3

        def booth(failing: bool) -> None:
            path = (
                f"/crossings/{'IQ-NOPE' if failing else code}/movements"  # 404 after the user row
            )
            with httpx.Client(base_url=f"{server.url}/api/v1", timeout=120) as http:
                while time.monotonic() < stop:
                    mrz, _, _ = passport()
                    started = time.monotonic()
                    response = http.post(
                        path,
                        headers=officer,
                        json={"direction": "entry", "mrz": mrz, "travel_mode": "car"},
                    )
                    answers.append((time.monotonic() - started, response.status_code))

        booths = [threading.Thread(target=booth, args=(n % 2 == 0,)) for n in range(3 * THREADS)]
        for b in booths:
            b.start()
        for b in booths:
            b.join()
    finally:
        server.stop()
    assert {status for _, status in answers} == {201, 404}
    slowest = max(seconds for seconds, _ in answers)
    assert slowest < 10, f"a request waited {slowest:.1f} s for the write lock"
