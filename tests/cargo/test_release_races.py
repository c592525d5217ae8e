"""Two customs officers release the same truck at the same moment: released once."""

from __future__ import annotations

from sqlalchemy import func, select

from borderpost.audit.models import AuditRecord
from borderpost.auth.permissions import Role
from borderpost.db import Database
from tests.cargo.test_api import green_truck
from tests.clearance.helpers import settle
from tests.conftest import Api
from tests.screening.racing import race

ROUNDS = 4


def test_a_truck_released_at_once_by_several_officers_is_released_once(
    api: Api, crossing_code: str, database: Database
):
    for _ in range(ROUNDS):
        truck = green_truck(api, crossing_code)
        settle(api, truck["id"])  # release needs what is due paid (clearance)
        responses = race(api, f"/trucks/{truck['id']}/release", [None] * 3, Role.CUSTOMS)
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 409, 409], [r.text for r in responses]
        assert all(
            r.json()["type"].endswith("/already-released")
            for r in responses
            if r.status_code == 409
        )
        with database.reader() as db:
            releases = db.scalar(
                select(func.count())
                .select_from(AuditRecord)
                .where(AuditRecord.action == "truck.release", AuditRecord.subject_id == truck["id"])
            )
        assert releases == 1
