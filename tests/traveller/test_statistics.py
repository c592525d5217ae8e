"""GET /crossings/{code}/statistics: passengers and group arrivals, and the passenger wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from passengers import move, passport, visa
from tests.conftest import Api

from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.traveller import service
from borderpost.traveller.rules import Direction, TravelMode


def stats(api: Api, code: str, role: Role = Role.ANALYST, **params):
    return api.get(f"/crossings/{code}/statistics", role, params=params)


def test_every_movement_is_counted_by_direction_decision_and_nationality(
    api: Api, crossing_code: str
):
    for nationality, direction in [("SYR", "entry"), ("SYR", "entry"), ("IRQ", "exit")]:
        mrz, number, state = passport(nationality=nationality)
        if nationality != "IRQ":
            visa(api, number, state)  # federal Iraq exempts no nationality from its visa
        assert move(api, crossing_code, mrz, direction).status_code == 201
    expired, _, _ = passport(nationality="JOR", expiry_date=datetime(2020, 1, 1).date())
    move(api, crossing_code, expired, "entry")
    twice, _, _ = passport(nationality="IRQ")
    move(api, crossing_code, twice, "exit")
    move(api, crossing_code, twice, "exit")  # referred: not in the country

    response = stats(api, crossing_code)
    assert response.status_code == 200, response.text
    p = response.json()["passengers"]
    assert (p["movements"], p["entries"], p["exits"]) == (6, 3, 3)
    assert (p["admitted"], p["referred"], p["refused"]) == (4, 1, 1)
    assert p["ever_referred"] == 1
    by = {n["nationality"]: n for n in p["by_nationality"]}
    assert by["SYR"]["entries"] == 2 and by["IRQ"]["exits"] == 3 and by["JOR"]["refused"] == 1
    assert sum(n["movements"] for n in p["by_nationality"]) == p["movements"]
    assert response.json()["group_arrivals"]["groups"] == 0

    today = datetime.now(UTC).date()
    later = stats(api, crossing_code, **{"from": str(today + timedelta(days=2))}).json()
    assert later["passengers"]["movements"] == 0 and later["from"] == str(today + timedelta(days=2))
    assert stats(api, crossing_code, to="2020-01-01", **{"from": "2021-01-01"}).status_code == 422
    assert stats(api, crossing_code, to="not-a-date").status_code == 422
    assert stats(api, crossing_code, Role.IMMIGRATION).status_code == 403
    assert stats(api, "IQ-NOWHERE").status_code == 404


def test_group_arrival_statistics(api: Api, crossing_code: str):
    group = api.post(
        f"/crossings/{crossing_code}/group-arrivals",
        Role.SECURITY,
        {"category": "refugees", "description": "Families.", "arrived_at": "2024-12-08T10:00:00Z"},
    ).json()
    ids = api.post(
        f"/group-arrivals/{group['id']}/persons",
        Role.SECURITY,
        {"persons": [{"surname": f"P{i}"} for i in range(5)]},
    ).json()["person_ids"]
    api.post(
        f"/group-arrivals/{group['id']}/handovers",
        Role.SECURITY,
        {"person_ids": ids[:2], "to": "UNHCR", "handed_over_at": "2024-12-19T10:00:00Z"},
    )
    g = stats(api, crossing_code, **{"from": "2024-12-01", "to": "2024-12-31"}).json()
    assert g["group_arrivals"]["groups"] == 1 and g["group_arrivals"]["persons"] == 5
    assert g["group_arrivals"]["handed_over"] == 2 and g["group_arrivals"]["in_custody"] == 3
    assert g["group_arrivals"]["handed_over_in_period"] == 2
    assert g["group_arrivals"]["by_category"] == [{"category": "refugees", "groups": 1}]
    # The day is the crossing's (Asia/Baghdad, UTC+3): 2024-12-08 10:00Z is still the 8th there.
    assert (
        stats(api, crossing_code, **{"from": "2024-12-09"}).json()["group_arrivals"]["groups"] == 0
    )


def test_estimated_passenger_wait(fresh_database: Database):
    db = fresh_database
    now = datetime(2025, 6, 14, 12, 0, tzinfo=UTC)
    with db.transaction() as s:
        crossing = crossings.create_crossing(
            s,
            code="IQ-WAIT",
            name="W",
            country="IRQ",
            neighbour_country="SYR",
            counterpart_name="C",
            timezone="Asia/Baghdad",
            actor=SYSTEM,
            at=now - timedelta(days=1),
        )
        assert service.estimated_passenger_wait(s, crossing, now=now) is None, "no basis yet"

        def record(at: datetime) -> None:
            mrz, _, _ = passport()
            service.record_movement(
                s,
                crossing=crossing,
                direction=Direction.ENTRY,
                travel_mode=TravelMode.CAR,
                mrz=mrz,
                actor=SYSTEM,
                at=at,
            )

        # This morning the hall managed 2 a minute for a quarter of an hour: its capacity.
        for n in range(30):
            record(now - timedelta(hours=5) + timedelta(seconds=30 * n))
        # The last hour at 1 a minute: half the capacity, a short wait.
        for n in range(60):
            record(now - timedelta(minutes=60) + timedelta(seconds=60 * n + 30))
        light = service.estimated_passenger_wait(s, crossing, now=now)
        assert light is not None and light <= 2
        # Another 60 in the same hour: the hall works at capacity, travellers queue.
        for n in range(60):
            record(now - timedelta(minutes=60) + timedelta(seconds=60 * n + 45))
        busy = service.estimated_passenger_wait(s, crossing, now=now)
        assert busy is not None and busy >= 5 and busy > light
        assert service.estimated_passenger_wait(s, crossing, now=now + timedelta(hours=2)) is None
