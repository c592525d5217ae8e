"""The access log: every read of a traveller, movement, truck (driver) or group person is recorded
before the answer leaves, and the auditor queries it; analysts see statistics, not persons."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from borderpost.auth.permissions import Role
from borderpost.db import Database
from tests.cargo.factories import arrival
from tests.conftest import Api, LiveServer, create_role_users, unique_code
from tests.traveller.passengers import passport


def log(api: Api, **params: str) -> list[dict]:
    response = api.get("/access-log", Role.AUDITOR, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def entry(api: Api, code: str) -> dict:
    mrz, _number, _state = passport()
    body = {"direction": "entry", "mrz": mrz, "travel_mode": "car"}
    response = api.post(f"/crossings/{code}/movements", Role.IMMIGRATION, body)
    assert response.status_code == 201, response.text
    return response.json()


def test_reads_of_persons_are_recorded_and_writes_are_not(api: Api, crossing_code: str):
    movement = entry(api, crossing_code)
    assert log(api, subject_id=movement["id"]) == []  # recorded in the audit log, not here

    assert api.get(f"/movements/{movement['id']}", Role.IMMIGRATION).status_code == 200
    [record] = log(api, subject_id=movement["id"])
    assert record["username"] == api.users[Role.IMMIGRATION]
    assert record["role"] == "immigration" and record["subject_type"] == "movement"
    assert record["route"] == "GET /api/v1/movements/{movement_id}"
    assert record["crossing_id"] and record["request_id"]

    traveller = movement["traveller"]
    query = {"document_number": traveller["document_number"],
             "issuing_state": traveller["issuing_state"]}  # fmt: skip
    found = api.get("/travellers", Role.SUPERVISOR, params=query)
    assert found.status_code == 200
    mine = log(api, username=api.users[Role.SUPERVISOR], subject_type="traveller",
               subject_id=found.json()["id"])  # fmt: skip
    assert len(mine) == 1 and mine[0]["route"] == "GET /api/v1/travellers"
    again = log(api, username=api.users[Role.SUPERVISOR], subject_id=movement["id"])
    assert [r["route"] for r in again] == ["GET /api/v1/travellers"]


def test_trucks_and_group_persons_are_recorded_with_their_crossing(api: Api, crossing_code: str):
    truck = api.post(f"/crossings/{crossing_code}/trucks", Role.CUSTOMS, arrival()).json()
    assert api.get(f"/trucks/{truck['id']}", Role.CUSTOMS).status_code == 200
    listed = api.get(f"/crossings/{crossing_code}/trucks", Role.SUPERVISOR)
    assert listed.status_code == 200
    trucks = log(api, subject_type="truck", subject_id=truck["id"])
    assert {r["role"] for r in trucks} == {"customs", "supervisor"}

    group = api.post(
        f"/crossings/{crossing_code}/group-arrivals",
        Role.SECURITY,
        {"category": "evacuees", "description": "d",
         "arrived_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()},
    ).json()  # fmt: skip
    persons = [{"surname": f"S{i}", "given_names": "G"} for i in range(3)]
    registered = api.post(f"/group-arrivals/{group['id']}/persons", Role.SECURITY,
                          {"persons": persons}).json()  # fmt: skip
    assert (
        api.get(f"/group-arrivals/{group['id']}", Role.SECURITY, params={"limit": 2}).status_code
        == 200
    )
    seen = log(api, subject_type="group_person", crossing=crossing_code,
               username=api.users[Role.SECURITY])  # fmt: skip
    # The first page, by id; the row read to learn that a next page exists counts as read too:
    # the log says what the answer was made from, erring on the side of too much.
    ids = sorted(registered["person_ids"])
    assert set(ids[:2]) <= {r["subject_id"] for r in seen} <= set(ids)
    assert all(r["crossing_id"] == seen[0]["crossing_id"] for r in seen)


def test_a_refused_read_records_nothing(api: Api, crossing_code: str, database: Database):
    from borderpost.auth import users
    from borderpost.auth.service import SYSTEM
    from tests.conftest import PASSWORD

    movement = entry(api, crossing_code)
    name = f"jor{secrets.token_hex(3)}"
    with database.transaction() as s:
        users.create_user(s, username=name, password=PASSWORD, role=Role.IMMIGRATION,
                          country="JOR", actor=SYSTEM)  # fmt: skip
    outsider = Api(api.server, {Role.IMMIGRATION: name})
    assert outsider.get(f"/movements/{movement['id']}", Role.IMMIGRATION).status_code == 403
    assert log(api, subject_id=movement["id"]) == []


def test_the_auditor_filters_and_pages(api: Api, crossing_code: str):
    movement = entry(api, crossing_code)
    for _ in range(3):
        api.get(f"/movements/{movement['id']}", Role.SUPERVISOR)
    first = api.get("/access-log", Role.AUDITOR, params={"subject_id": movement["id"], "limit": 2})
    page = first.json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = log(api, subject_id=movement["id"], cursor=page["next_cursor"])
    assert len(rest) == 1 and rest[0]["id"] < page["items"][-1]["id"]
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert log(api, subject_id=movement["id"], since=later) == []
    assert len(log(api, subject_id=movement["id"], until=later)) == 3
    assert len(log(api, subject_id=movement["id"], crossing=crossing_code)) == 3
    naive = api.get("/access-log", Role.AUDITOR, params={"since": "2025-01-01T00:00:00"})
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "since"
    for far in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"):
        bounded = api.get("/access-log", Role.AUDITOR, params={"until": far})
        assert bounded.status_code == 422 and bounded.json()["errors"][0]["field"] == "until"
    assert api.get("/access-log", Role.ADMIN).status_code == 403  # the auditor's alone


def test_analysts_see_statistics_not_persons(api: Api, crossing_code: str):
    movement = entry(api, crossing_code)
    truck = api.post(f"/crossings/{crossing_code}/trucks", Role.CUSTOMS, arrival()).json()
    persons = (
        f"/movements/{movement['id']}",
        f"/trucks/{truck['id']}",
        f"/crossings/{crossing_code}/trucks",
        f"/crossings/{crossing_code}/group-arrivals",
    )
    for path in persons:
        assert api.get(path, Role.ANALYST).status_code == 403, path
    stats = api.get(f"/crossings/{crossing_code}/statistics", Role.ANALYST)
    assert stats.status_code == 200 and stats.json()["passengers"]["entries"] >= 1
    assert log(api, username=api.users[Role.ANALYST]) == []


def test_an_answer_whose_reads_cannot_be_recorded_is_not_sent(fresh_database: Database):
    server = LiveServer(fresh_database)
    try:
        api = Api(server, create_role_users(fresh_database))
        code = unique_code()
        api.post("/crossings", Role.ADMIN, {"code": code, "name": "n", "country": "IRQ",
                 "neighbour_country": "SYR", "counterpart_name": "c",
                 "timezone": "Asia/Baghdad"})  # fmt: skip
        movement = entry(api, code)
        with fresh_database.engine.begin() as conn:
            conn.execute(text("ALTER TABLE access_record RENAME TO access_record_gone"))
        response = api.get(f"/movements/{movement['id']}", Role.IMMIGRATION)
        assert response.status_code >= 500
        assert movement["traveller"]["surname"] not in response.text
    finally:
        server.stop()
