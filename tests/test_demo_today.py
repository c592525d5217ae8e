"""The demo lives today: ordinary days after the story up to now, and past days as they stood."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from borderpost.app import create_app
from borderpost.audit import service as audit
from borderpost.auth.permissions import Role
from borderpost.cargo.models import TruckVisit
from borderpost.cargo.queue_service import queue_snapshot
from borderpost.crossing import history
from borderpost.crossing import service as crossings
from borderpost.db import Database, utcnow
from borderpost.demo.loader import demo_password, demo_settings
from borderpost.report import public
from borderpost.report.daily import counts_of_day
from borderpost.traveller.models import Movement

QAIM = "IQ-QAIM"


def test_traffic_runs_up_to_now(demo_database: Database):
    now = utcnow()
    with demo_database.transaction() as s:
        crossing = crossings.get_crossing(s, QAIM)
        last_truck = s.scalar(select(func.max(TruckVisit.arrived_at)))
        last_movement = s.scalar(select(func.max(Movement.recorded_at)))
        assert now - last_truck < timedelta(hours=12)
        assert now - last_movement < timedelta(hours=30), "passengers 06:00-20:00 every day"
        assert last_truck <= now and last_movement <= now, "nothing in the future"
        # Each of the dashboard's last fourteen days had traffic (today may have just begun).
        zone_today = crossings_today(crossing)
        for n in range(1, 14):
            counts = counts_of_day(s, crossing, zone_today - timedelta(days=n))
            assert counts["entries"] + counts["exits"] > 100, n
            assert counts["trucks_arrived"] > 5, n
        queue = queue_snapshot(s, crossing=crossing)
        assert len(queue.waiting) >= 5, "the demo opens with a queue"
        answer = public.public_crossing(s, crossing)
        assert answer.waits.cargo_minutes is not None
        assert answer.status.cargo.state == answer.status.passenger.state == "open"
        assert answer.statement is not None and answer.statement.current
        assert "open" in answer.statement.text_en and "مفتوح" in answer.statement.text_ar
        assert audit.verify(s).ok


def crossings_today(crossing) -> date:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(crossing.timezone)).date()


def test_the_crossing_as_it_stood_on_past_days(demo_database: Database):
    with demo_database.transaction() as s:
        crossing = crossings.get_crossing(s, QAIM)
        closed = datetime(2025, 3, 20, 12, tzinfo=UTC)
        status = history.status_at(s, crossing, closed)
        assert {t.value: st.state for t, st in status.items()} == {
            "cargo": "closed",
            "passenger": "closed",
        }
        said = history.statement_at(s, crossing, closed)
        assert said is not None and "trade to resume" in said.text_en
        assert history.statement_at(s, crossing, datetime(2024, 12, 10, tzinfo=UTC)) is None
        sandstorm = datetime(2026, 4, 18, 12, tzinfo=UTC)
        assert history.status_at(s, crossing, sandstorm)[next(iter(status))].state == "closed"
        assert "sandstorm" in history.statement_at(s, crossing, sandstorm).text_en

        # The queue at a past moment: trucks that had arrived and were not yet called then.
        moment = datetime(2025, 6, 20, 9, 0, tzinfo=UTC)
        queue = queue_snapshot(s, crossing=crossing, at=moment)
        waiting = s.scalar(
            select(func.count()).where(
                TruckVisit.arrived_at <= moment,
                (TruckVisit.service_started_at.is_(None))
                | (TruckVisit.service_started_at > moment),
            )
        )
        assert len(queue.waiting) == waiting
        assert all(w.arrived_at <= moment for w in queue.waiting)
        assert all(t.service_started_at <= moment for t in queue.in_service)


@pytest.fixture(scope="module")
def supervisor(demo_database: Database) -> Iterator[TestClient]:
    path = demo_database.engine.url.database
    with TestClient(create_app(demo_settings(path))) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post(
            "/login",
            data={
                "username": "supervisor",
                "password": demo_password(Role.SUPERVISOR),
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        yield client


def test_the_dashboard_of_a_past_day_shows_that_days_status_and_statement(supervisor: TestClient):
    closed = supervisor.get(f"/crossings/{QAIM}?until=2025-03-20&lang=en").text
    assert closed.count('data-state="closed"') == 2
    assert "trade to resume" in closed
    reopened = supervisor.get(f"/crossings/{QAIM}?until=2025-06-20&lang=en").text
    assert reopened.count('data-state="open"') == 2
    assert "open to cargo trucks and passengers from today, 14 June 2025" in reopened
    today = supervisor.get(f"/crossings/{QAIM}?lang=en").text
    assert "The sandstorm has passed" in today
