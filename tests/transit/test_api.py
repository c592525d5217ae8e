"""Transit over HTTP on both engines."""

from __future__ import annotations

from borderpost.auth.permissions import Role
from tests.cargo.factories import arrival
from tests.cargo.test_api import registered
from tests.conftest import Api

C = Role.CUSTOMS
OPEN = {"seals": ["SY-77001", "SY-77002"], "guarantee_ref": "TIR-XA1234",
        "office_of_destination": "JO-KARAMA", "time_limit_hours": 48}  # fmt: skip


def test_a_transit_is_opened_with_seals_and_discharged_at_destination(api: Api, crossing_code):
    truck = registered(api, crossing_code, arrival(regime="transit", destination_country="JOR"))
    opened = api.post(f"/trucks/{truck['id']}/transit", C, OPEN)
    assert opened.status_code == 201, opened.text
    body = opened.json()
    assert body["state"] == "open" and body["seals"] == OPEN["seals"] and not body["overdue"]
    assert api.post(f"/trucks/{truck['id']}/transit", C, OPEN).status_code == 409
    assert api.get(f"/crossings/{crossing_code}/transits/overdue", Role.CUSTOMS).json() == []
    bad = api.post(f"/transits/{body['id']}/discharge", C, {"seals_found": "SY"})
    assert bad.status_code == 422
    found = {"seals_found": ["SY-77002", "SY-77001"]}
    done = api.post(f"/transits/{body['id']}/discharge", C, found)
    assert done.status_code == 200 and done.json()["state"] == "discharged"
    assert api.get(f"/transits/{body['id']}", Role.SUPERVISOR).json()["seals_found"] == [
        "SY-77002", "SY-77001"
    ]  # fmt: skip
    again = api.post(f"/transits/{body['id']}/discharge", C, found)
    assert again.status_code == 409 and again.json()["type"].endswith("/already-discharged")


def test_only_a_transit_declaration_opens_a_transit(api: Api, crossing_code):
    truck = registered(api, crossing_code, arrival())
    refused = api.post(f"/trucks/{truck['id']}/transit", C, OPEN)
    assert refused.status_code == 409 and refused.json()["type"].endswith("/not-transit")
    invalid = api.post(f"/trucks/{truck['id']}/transit", C, {**OPEN, "seals": []})
    assert invalid.status_code == 422
