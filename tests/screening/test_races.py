"""Two administrators create the same watchlist at the same moment: one 201, the rest 409."""

from __future__ import annotations

import threading
import uuid

import httpx
from sqlalchemy import func, select

from borderpost.auth.permissions import Role
from borderpost.db import Database
from borderpost.screening.models import Watchlist, WatchlistEntry
from tests.conftest import Api
from tests.screening.racing import race


def test_the_same_watchlist_created_twice_at_once(api: Api, database: Database):
    for _ in range(6):
        name = f"race-{uuid.uuid4().hex[:8]}"
        responses = race(api, "/watchlists", [{"name": name, "source": "test"}] * 3, Role.ADMIN)
        codes = sorted(r.status_code for r in responses)
        assert codes == [201, 409, 409], [r.text for r in responses]
        problem = next(r for r in responses if r.status_code == 409).json()
        assert problem["type"].endswith("/watchlist-exists")
        with database.reader() as db:
            count = db.scalar(
                select(func.count()).select_from(Watchlist).where(Watchlist.name == name)
            )
        assert count == 1


def test_the_same_watchlist_imported_twice_at_once(api: Api, database: Database):
    """Two imports of one list at once: both 200, the version counts both, no entry doubled."""
    response = api.post(
        "/watchlists", Role.ADMIN, {"name": f"imp-{uuid.uuid4().hex[:8]}", "source": "t"}
    )
    assert response.status_code == 201, response.text
    list_id = response.json()["id"]
    headers = api.headers(Role.ADMIN)
    files = [
        b"id,name,aliases,date_of_birth,nationality\n"
        + b"".join(f"{tag}-{n},Name{n} Family{tag},,1970,IRQ\n".encode() for n in range(300))
        for tag in ("A", "B")
    ]
    for _ in range(3):
        barrier = threading.Barrier(2)
        results: list[object] = [None, None]

        def go(n: int, barrier=barrier, results=results) -> None:
            with httpx.Client(base_url=api.server.url + "/api/v1", timeout=60) as client:
                client.get("/crossings", headers=headers)
                barrier.wait()
                results[n] = client.post(
                    f"/watchlists/{list_id}/import",
                    headers=headers,
                    files={"file": ("list.csv", files[n])},
                )

        threads = [threading.Thread(target=go, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert [getattr(r, "status_code", r) for r in results] == [200, 200], [
            getattr(r, "text", r) for r in results
        ]
    with database.reader() as db:
        watchlist = db.get(Watchlist, list_id)
        assert watchlist is not None and watchlist.version == 6
        entries = db.scalars(
            select(WatchlistEntry.entry_id).where(WatchlistEntry.watchlist_id == list_id)
        ).all()
        assert len(entries) == 300 and len({e[0] for e in entries}) == 1
