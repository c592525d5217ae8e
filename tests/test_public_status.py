"""The public status is honest: a closed class has no wait, a statement older than the last
change of state is past, old resolutions do not make today's wait, a newer statement wins."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from borderpost.auth.service import SYSTEM
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing
from borderpost.crossing.rules import ReasonCategory, State, Traffic
from borderpost.db import Database, utcnow
from borderpost.report import public
from borderpost.traveller import service as travellers
from borderpost.traveller.mrz import build_td3
from borderpost.traveller.rules import Decision, Direction, TravelMode
from tests.conftest import unique_code

BOTH = [Traffic.CARGO, Traffic.PASSENGER]


def passport() -> tuple[str]:
    """A fresh passport's MRZ (in a 1-tuple, like tests/traveller/passengers.passport): an
    Iraqi's, so at the Iraqi crossing only presence and screening decide (no visa needed)."""
    return (
        build_td3(
            issuing_state="IRQ",
            surname="HONEST",
            given_names="TRAVELLER",
            document_number="H" + uuid.uuid4().hex[:8].upper(),
            nationality="IRQ",
            birth_date=date(1990, 1, 1),
            sex="M",
            expiry_date=date(2035, 1, 1),
        ),
    )


def _crossing(s: Session, at: datetime) -> Crossing:
    return crossings.create_crossing(
        s,
        code=unique_code(),
        name="Honest",
        country="IRQ",
        neighbour_country="SYR",
        counterpart_name="Other side",
        timezone="Asia/Baghdad",
        actor=SYSTEM,
        at=at,
    )


def _change(s: Session, crossing: Crossing, state: State, at: datetime, traffic=BOTH) -> None:
    crossings.change_status(
        s,
        crossing=crossing,
        traffic=traffic,
        state=state,
        reason_category=ReasonCategory.WEATHER,
        reason="Sandstorm.",
        assessment_id=None,
        actor=SYSTEM,
        at=at,
    )


def _say(s: Session, crossing: Crossing, text: str, at: datetime) -> None:
    crossings.publish_statement(
        s, crossing=crossing, text_en=text, text_ar=text, actor=SYSTEM, at=at
    )


def test_a_statement_before_the_last_change_is_past_and_a_newer_one_replaces_it(
    database: Database,
):
    now = utcnow()
    with database.transaction() as s:
        crossing = _crossing(s, now - timedelta(days=3))
        _change(s, crossing, State.CLOSED, now - timedelta(days=2))
        _say(s, crossing, "Suspended because of a sandstorm.", now - timedelta(days=2))
        answer = public.public_crossing(s, crossing)
        assert answer.statement is not None and answer.statement.current
        assert answer.status.cargo.state == State.CLOSED

        _change(s, crossing, State.OPEN, now - timedelta(days=1))
        answer = public.public_crossing(s, crossing)
        assert answer.statement is not None
        assert answer.statement.text_en == "Suspended because of a sandstorm."
        assert answer.statement.current is False, "open now: the sandstorm statement is past"

        _say(s, crossing, "Open again.", now - timedelta(hours=1))
        answer = public.public_crossing(s, crossing)
        assert answer.statement is not None and answer.statement.text_en == "Open again."
        assert answer.statement.current
        s.rollback()


def test_a_closed_class_has_no_wait(database: Database):
    now = utcnow()
    with database.transaction() as s:
        crossing = _crossing(s, now - timedelta(days=1))
        mrz = passport()[0]
        travellers.record_movement(
            s,
            crossing=crossing,
            direction=Direction.ENTRY,
            travel_mode=TravelMode.CAR,
            mrz=mrz,
            actor=SYSTEM,
            at=now - timedelta(minutes=20),
        )
        assert public.public_crossing(s, crossing).waits.passenger_minutes is not None
        _change(s, crossing, State.CLOSED, now - timedelta(minutes=5))
        answer = public.public_crossing(s, crossing)
        assert answer.waits.passenger_minutes is None
        assert answer.waits.cargo_minutes is None
        s.rollback()


def test_a_referral_resolved_months_later_does_not_make_todays_wait(database: Database):
    now = utcnow()
    long_ago = now - timedelta(days=520)
    with database.transaction() as s:
        crossing = _crossing(s, long_ago - timedelta(days=1))
        # A double entry long ago, referred, left open for 17 months, resolved an hour ago.
        mrz = passport()[0]
        for n in range(2):
            old = travellers.record_movement(
                s,
                crossing=crossing,
                direction=Direction.ENTRY,
                travel_mode=TravelMode.CAR,
                mrz=mrz,
                actor=SYSTEM,
                at=long_ago + timedelta(minutes=n),
            )
        assert old.decision == Decision.REFERRED
        travellers.resolve_movement(
            s,
            movement_id=old.id,
            decision=Decision.ADMITTED,
            note="Cleared at last.",
            actor=SYSTEM,
            at=now - timedelta(hours=1),
        )
        # Today: a steady hall with one fresh referral among the last hour's travellers.
        for n in range(30):
            travellers.record_movement(
                s,
                crossing=crossing,
                direction=Direction.ENTRY,
                travel_mode=TravelMode.CAR,
                mrz=passport()[0],
                actor=SYSTEM,
                at=now - timedelta(minutes=59 - 2 * n),
            )
        again = passport()[0]
        for n in range(2):
            travellers.record_movement(
                s,
                crossing=crossing,
                direction=Direction.ENTRY,
                travel_mode=TravelMode.CAR,
                mrz=again,
                actor=SYSTEM,
                at=now - timedelta(minutes=10 - n),
            )
        wait = travellers.estimated_passenger_wait(s, crossing, now=now)
        assert wait is not None
        # 1 referral in 32: about a minute of expected secondary time at the default 30 min;
        # the stale 17-month case would have made it the 240-minute cap.
        assert wait < 30, wait
        s.rollback()


def test_the_public_page_shows_closed_without_a_wait_and_a_past_statement_as_past(
    database: Database,
):
    from tests.conftest import LiveServer

    now = datetime.now(UTC)
    with database.transaction() as s:
        crossing = _crossing(s, now - timedelta(days=3))
        code = crossing.code
        _change(s, crossing, State.CLOSED, now - timedelta(days=2), traffic=[Traffic.CARGO])
        _say(s, crossing, "Cargo suspended because of a sandstorm.", now - timedelta(days=2))
        _change(s, crossing, State.CLOSED, now - timedelta(days=1), traffic=[Traffic.PASSENGER])
    server = LiveServer(database)
    try:
        import httpx

        page = httpx.get(f"{server.url}/?lang=en", timeout=30).text
    finally:
        server.stop()
    article = page[page.index(f'data-code="{code}"') :]
    article = article[: article.index("</article>")]
    assert article.count('data-state="closed"') == 2
    assert "Expected wait" not in article, "a closed class shows no wait"
    assert 'data-current="false"' in article and "Earlier statement" in article
