"""Dates far in the past or the future are refused (422) and never reach a page as a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest

from borderpost.auth.permissions import Role
from borderpost.crossing import rules
from borderpost.db import utcnow
from tests.conftest import Api


def incident(api: Api, code: str, occurred_at: str):
    body = {"kind": "patrol", "severity": 2, "occurred_at": occurred_at, "description": "Patrol."}
    return api.post(f"/crossings/{code}/incidents", Role.SECURITY, body)


@pytest.mark.parametrize(
    "occurred_at",
    [
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "1989-12-31T23:59:59Z",
        (utcnow() + timedelta(days=2)).isoformat(),
    ],
    # Stable ids: parallel workers must collect the same tests although "now" moves.
    ids=["year-9999", "year-1", "before-1990", "in-two-days"],
)
def test_an_incident_dated_outside_1990_to_tomorrow_is_422(api: Api, crossing_code, occurred_at):
    response = incident(api, crossing_code, occurred_at)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["occurred_at"]
    listed = api.get(f"/crossings/{crossing_code}/incidents", Role.ANALYST).json()
    assert listed["items"] == []


@pytest.mark.parametrize(
    "occurred_at",
    ["1990-01-01T00:00:00Z", (utcnow() + timedelta(hours=20)).isoformat()],
    ids=["first-day", "in-twenty-hours"],
)
def test_an_incident_at_the_edges_of_the_window_is_recorded(api: Api, crossing_code, occurred_at):
    assert incident(api, crossing_code, occurred_at).status_code == 201


def test_the_window_rule_takes_days_and_times():
    now = utcnow()
    assert rules.event_time_problem(now, now=now) is None
    assert rules.event_time_problem(now.date(), now=now) is None
    assert rules.event_time_problem(now + timedelta(days=2), now=now)
    assert rules.event_time_problem(rules.EARLIEST_EVENT.date() - timedelta(days=1), now=now)
