"""Two customs officers register the same declaration at the same moment: one 201, one 409."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from borderpost.auth.permissions import Role
from borderpost.cargo.models import TruckVisit
from borderpost.db import Database
from tests.cargo.factories import arrival
from tests.conftest import Api
from tests.screening.racing import race


def test_the_same_declaration_registered_twice_at_once(
    api: Api, crossing_code: str, database: Database
):
    for _ in range(6):
        number = f"IM-R{uuid.uuid4().hex[:9].upper()}"
        body = arrival(number=number)
        responses = race(api, f"/crossings/{crossing_code}/trucks", [body] * 3, Role.CUSTOMS)
        codes = sorted(r.status_code for r in responses)
        assert codes == [201, 409, 409], [r.text for r in responses]
        problem = next(r for r in responses if r.status_code == 409).json()
        assert problem["type"].endswith("/declaration-exists")
        with database.reader() as db:
            count = db.scalar(
                select(func.count())
                .select_from(TruckVisit)
                .where(TruckVisit.declaration_number == number)
            )
        assert count == 1
