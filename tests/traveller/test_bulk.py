"""traveller.bulk.record_movements decides as record_movement does, movement by movement."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from passengers import LISTED, install_watchlist, passport
from sqlalchemy import func, select
from tests.conftest import unique_code

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.audit.models import AuditRecord
from borderpost.auth.service import SYSTEM
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.traveller import bulk, service
from borderpost.traveller.models import Movement
from borderpost.traveller.rules import Direction, TravelMode

E, X = Direction.ENTRY, Direction.EXIT
START = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def _crossing(s):
    return crossings.create_crossing(
        s,
        code=unique_code(),
        name="Bulk",
        country="IRQ",
        neighbour_country="SYR",
        counterpart_name="Other side",
        timezone="Asia/Baghdad",
        actor=SYSTEM,
        at=START - timedelta(days=1),
    )


def _journeys() -> list[tuple[Direction, str]]:
    """Entries, exits, a double entry, an expired passport, a listed person, a person twice, a
    foreigner with no visa (the crossing is Iraq's: Iraqis are its citizens)."""
    a = passport(nationality="IRQ")[0]
    b = passport(nationality="IRQ", td1=True)[0]
    expired = passport(expiry_date=date(2025, 1, 1))[0]
    given, surname = LISTED[0][1].split(" ", 1)[0], LISTED[0][1].rsplit(" ", 1)[1]
    listed = passport(surname=surname, given_names=given, birth_date=date(1975, 4, 9))[0]
    no_visa = passport(nationality="SYR")[0]
    return [(E, a), (X, b), (E, expired), (E, a), (X, a), (E, listed), (E, b), (X, a), (E, no_visa)]


def _outcome(s, crossing_id: str) -> list[tuple[str, str, list[str], str]]:
    rows = s.scalars(
        select(Movement).where(Movement.crossing_id == crossing_id).order_by(Movement.recorded_at)
    )
    return [
        (m.direction, m.decision, [r["code"] for r in m.reasons], m.screening_status) for m in rows
    ]


def test_a_batch_is_decided_as_one_movement_after_another(database: Database):
    install_watchlist(database)
    with database.transaction() as s:
        one, many = _crossing(s), _crossing(s)
        for n, (direction, mrz) in enumerate(_journeys()):
            service.record_movement(
                s,
                crossing=one,
                direction=direction,
                travel_mode=TravelMode.CAR,
                mrz=mrz,
                actor=SYSTEM,
                at=START + timedelta(hours=n),
            )
        # The same journeys by other travellers (fresh documents), in one batch.
        recorded = bulk.record_movements(
            s,
            crossing=many,
            movements=[
                bulk.NewMovement(direction, TravelMode.CAR, START + timedelta(hours=n), mrz)
                for n, (direction, mrz) in enumerate(_journeys())
            ],
            actor=SYSTEM,
        )
        one_id, many_id = one.id, many.id
    with database.transaction() as s:
        singles, batch = _outcome(s, one_id), _outcome(s, many_id)
        assert batch == singles
        codes = [c for _, _, c, _ in batch]
        assert {
            "document_expired",
            "already_in_country",
            "watchlist_possible_match",
            "visa_required",
        } <= {c for reasons in codes for c in reasons}, (
            "the batch covers the refusal and both kinds of referral"
        )
        assert [r.decision.value for r in recorded] == [d for _, d, _, _ in batch]
        audited = s.scalar(
            select(func.count()).where(
                AuditRecord.action == "movement.record",
                AuditRecord.subject_id.in_([r.id for r in recorded]),
            )
        )
        assert audited == len(recorded)
        assert audit.verify(s).ok


def test_a_bad_document_refuses_the_whole_batch(database: Database):
    with database.transaction() as s:
        crossing = _crossing(s)
        good = passport()[0]
        bad = good[:-3] + ("1" if good[-3] != "1" else "2") + good[-2:]
        with pytest.raises(errors.DomainError) as refused:
            bulk.record_movements(
                s,
                crossing=crossing,
                movements=[
                    bulk.NewMovement(E, TravelMode.CAR, START, good),
                    bulk.NewMovement(E, TravelMode.CAR, START, bad),
                ],
                actor=SYSTEM,
            )
        assert refused.value.status == 422 and "movements[1]" in refused.value.detail
        assert s.scalar(select(func.count()).where(Movement.crossing_id == crossing.id)) == 0
