"""Two administrators create the same watchlist at the same moment: one 201, the rest 409."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from borderpost.auth.permissions import Role
from borderpost.db import Database
from borderpost.screening.models import Watchlist
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
