"""A truck's driver goes through immigration: the visit shows the driver's movement, and a
refused driver holds the truck until a supervisor resolves the movement."""

from __future__ import annotations

import secrets
from datetime import date

from borderpost.auth.permissions import Role
from tests.cargo.factories import arrival, driver_mrz
from tests.conftest import Api

C, S = Role.CUSTOMS, Role.SUPERVISOR


def queue_ids(api: Api, code: str) -> list[str]:
    return [t["id"] for t in api.get(f"/crossings/{code}/queue", C).json()["items"]]


def test_a_syrian_driver_in_the_transfer_zone_needs_no_visa(api: Api, crossing_code: str):
    number = "N" + secrets.token_hex(4).upper()
    truck = api.post(
        f"/crossings/{crossing_code}/trucks", C, arrival(driver={"mrz": driver_mrz(number=number)})
    )
    assert truck.status_code == 201, truck.text
    body = truck.json()
    assert body["state"] == "queued"
    movement = body["driver_movement"]
    assert movement["decision"] == "admitted"
    assert [r["code"] for r in movement["reasons"]] == ["transfer_zone_driver"]
    full = api.get(f"/movements/{movement['id']}", S).json()
    assert full["travel_mode"] == "truck_driver" and full["direction"] == "entry"


def test_a_refused_driver_holds_the_truck_until_a_supervisor_resolves(api: Api, crossing_code: str):
    number = "N" + secrets.token_hex(4).upper()
    expired = driver_mrz(number=number, expiry=date(2024, 1, 1))
    truck = api.post(f"/crossings/{crossing_code}/trucks", C, arrival(driver={"mrz": expired}))
    assert truck.status_code == 201, truck.text
    body = truck.json()
    assert body["state"] == "held" and body["queue_position"] is None
    assert body["driver_movement"]["decision"] == "refused"
    assert body["id"] not in queue_ids(api, crossing_code)

    resolved = api.post(
        f"/movements/{body['driver_movement']['id']}/resolution",
        S,
        {"decision": "admitted", "note": "Renewed passport shown; stays in the transfer zone."},
    )
    assert resolved.status_code == 200, resolved.text
    after = api.get(f"/trucks/{body['id']}", C).json()
    assert after["state"] == "queued" and after["driver_movement"]["decision"] == "admitted"
    assert body["id"] in queue_ids(api, crossing_code)
    again = api.post(
        f"/movements/{body['driver_movement']['id']}/resolution",
        S,
        {"decision": "refused", "note": "x"},
    )
    assert again.status_code == 409
