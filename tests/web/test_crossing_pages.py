"""The crossing's pages: a dashboard that survives any stored date, the graduated status form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from borderpost.auth.permissions import Role
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Incident
from borderpost.db import Database
from tests.web.conftest import Browserless
from tests.web.test_work_pages import fresh_number, passport


def test_an_incident_stored_at_the_end_of_the_calendar_breaks_no_page(
    client: Browserless, crossing: str, web_database: Database
) -> None:
    """Recorded before the bounds existed (or by hand): the dashboard and the security page
    still answer, and the dashboard's incident count is of its own fortnight."""
    with web_database.transaction() as s:
        c = crossings.get_crossing(s, crossing)
        for when in (datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), datetime.now(UTC)):
            s.add(
                Incident(
                    crossing_id=c.id,
                    kind="patrol",
                    severity=1,
                    occurred_at=when,
                    description="x",
                    recorded_by="test",
                )
            )
    client.login(Role.SUPERVISOR)
    dashboard = client.get(f"/crossings/{crossing}?lang=en")
    assert dashboard.status_code == 200
    assert '<p class="figure">1</p><p>Incidents</p>' in dashboard.text
    assert client.get(f"/crossings/{crossing}/security").status_code == 200


@pytest.mark.parametrize("until", ["9999-12-31", "0001-01-01", "1900-05-01"])
def test_a_dashboard_day_outside_1990_to_tomorrow_is_422(
    client: Browserless, crossing: str, until: str
) -> None:
    client.login(Role.SUPERVISOR)
    assert client.get(f"/crossings/{crossing}", params={"until": until}).status_code == 422


def test_the_supervisor_restricts_one_direction_to_listed_categories(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.SUPERVISOR)
    page = f"/crossings/{crossing}/supervisor"
    form = {
        "traffic": ["passenger"],
        "directions": ["exit"],
        "state": "restricted",
        "reason_category": "security",
        "reason": "Voluntary returns only.",
        "allowed_categories": ["voluntary_return"],
        "allowed_nationalities": "syr",
    }
    done = client.submit(page, f"{page}/status", form)
    assert done.status_code == 303, done.text
    after = client.get(page + "?lang=en").text
    assert 'data-direction="exit" data-state="restricted"' in after
    assert "Voluntary return" in after and "Syria" in after
    assert "<small>(Exit)</small>" in after  # the history names the one direction changed
    wrong = client.submit(page, f"{page}/status", {**form, "allowed_nationalities": "Syria"})
    assert wrong.status_code == 422
    public = client.get("/?lang=ar").text
    card = public[public.index(f'data-code="{crossing}"') :]
    card = card[: card.index("</article>")]
    assert "فقط: عودة طوعية" in card and "سوريا" in card


def test_the_booth_records_the_category_a_restricted_exit_lets_pass(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.SUPERVISOR)
    page = f"/crossings/{crossing}/supervisor"
    restrict = {
        "traffic": ["passenger"],
        "directions": ["exit"],
        "state": "restricted",
        "reason_category": "security",
        "reason": "Voluntary returns only.",
        "allowed_categories": ["voluntary_return"],
    }
    assert client.submit(page, f"{page}/status", restrict).status_code == 303
    client.login(Role.IMMIGRATION)
    booth = f"/crossings/{crossing}/booth"
    assert 'name="category"' in client.get(booth).text
    mrz = passport(fresh_number(), "RETURNER", "SAMI")
    form = {"mrz": mrz, "direction": "exit", "travel_mode": "foot"}
    refused = client.submit(booth + "?lang=en", booth, form)
    assert refused.status_code == 409, refused.text
    assert "may not pass now" in refused.text
    passed = client.submit(booth, booth, {**form, "category": "voluntary_return"})
    assert passed.status_code == 303, passed.text
