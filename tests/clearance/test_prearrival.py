"""Pre-arrival declarations over HTTP: lodged by the trader's agent, picked up on arrival."""

from __future__ import annotations

import uuid

from borderpost.auth.permissions import Role
from tests.cargo.factories import arrival, driver_mrz
from tests.conftest import Api
from tests.screening.racing import race

AGENT, C = Role.AGENT, Role.CUSTOMS


def declaration() -> dict:
    body = arrival(number="PA-" + uuid.uuid4().hex[:10].upper())["declaration"]
    return body


def truck() -> dict:
    return {"direction": "inbound", "plate": "DMS-" + uuid.uuid4().hex[:5].upper(),
            "registration_country": "SYR", "driver": {"mrz": driver_mrz()}}  # fmt: skip


def test_a_lodged_declaration_is_picked_up_by_its_number_on_arrival(api: Api, crossing_code):
    lodged_body = declaration()
    path = f"/crossings/{crossing_code}/pre-arrivals"
    assert api.post(path, C, lodged_body).status_code == 403  # the agent lodges
    lodged = api.post(path, AGENT, lodged_body)
    assert lodged.status_code == 201, lodged.text
    number = lodged.json()["number"]
    assert lodged.json()["truck_id"] is None and lodged.json()["items"] == 1
    again = api.post(path, AGENT, lodged_body)
    assert again.status_code == 409 and again.json()["type"].endswith("/declaration-exists")
    assert api.post(f"{path}/{number}/arrival", AGENT, truck()).status_code == 403

    wrong_way = api.post(f"{path}/{number}/arrival", C, {**truck(), "direction": "outbound"})
    assert wrong_way.status_code == 422  # an import travels inbound
    arrived = api.post(f"{path}/{number}/arrival", C, truck())
    assert arrived.status_code == 201, arrived.text
    visit = arrived.json()
    assert visit["declaration"]["number"] == number and visit["assessment"]["total"] > 0
    shown = api.get(f"{path}/{number}", C).json()
    assert shown["truck_id"] == visit["id"] and shown["arrived_at"] is not None
    twice = api.post(f"{path}/{number}/arrival", C, truck())
    assert twice.status_code == 409
    assert api.get(f"{path}/NOPE-1", C).status_code == 404


def test_one_lodged_declaration_arriving_twice_at_once_makes_one_visit(api: Api, crossing_code):
    path = f"/crossings/{crossing_code}/pre-arrivals"
    number = api.post(path, AGENT, declaration()).json()["number"]
    responses = race(api, f"{path}/{number}/arrival", [truck() for _ in range(3)], C)
    assert sorted(r.status_code for r in responses) == [201, 409, 409], [r.text for r in responses]
