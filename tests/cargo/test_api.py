"""The cargo section of api-v1.md, over HTTP against a live server, on both engines."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.cargo.risk import draw_from_seed, selection_seed
from borderpost.db import Database
from borderpost.screening import service as screening
from tests.cargo.factories import arrival, driver_mrz, item
from tests.clearance.helpers import settle
from tests.conftest import TEST_SECRET, Api, LiveServer, create_role_users

C, S = Role.CUSTOMS, Role.SUPERVISOR


def register(api: Api, code: str, body: dict, **kw):
    return api.post(f"/crossings/{code}/trucks", C, body, **kw)


def registered(api: Api, code: str, body: dict) -> dict:
    response = register(api, code, body)
    assert response.status_code == 201, response.text
    return response.json()


def trucks_at(api: Api, code: str) -> list[dict]:
    response = api.get(f"/crossings/{code}/trucks", C, params={"limit": 100})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def number_drawing(low: float, high: float, prefix: str = "IM") -> str:
    """A declaration number whose random-selection draw (with the test secret) is in [low, high)."""
    while True:
        number = f"{prefix}-{uuid.uuid4().hex[:10].upper()}"
        if low <= draw_from_seed(selection_seed(number, TEST_SECRET.encode())) < high:
            return number


def green_truck(api: Api, code: str, **overrides) -> dict:
    """A truck of a known trader, outside every random selection: the green lane."""
    registered(api, code, arrival(**overrides))  # the trader's first truck makes it known
    return registered(api, code, arrival(number=number_drawing(0.2, 1.0), **overrides))


def invalid_fields(response) -> set[str]:
    assert response.status_code == 422, response.text
    return {e["field"] for e in response.json()["errors"]}


def test_arrival_gives_lane_reasons_hs_descriptions_and_a_queue_place(api: Api, crossing_code):
    # A declaration number outside every random selection: only the rules decide the lane.
    truck = registered(api, crossing_code, arrival(number=number_drawing(0.2, 1.0)))
    assert truck["state"] == "queued" and truck["crossing"] == crossing_code
    assert truck["lane"] == "yellow"  # the importer's first truck at this crossing
    assert "first-time-trader" in [r["rule_id"] for r in truck["lane_reasons"]]
    line = truck["declaration"]["items"][0]
    assert line["hs_code"] == "252329" and line["chapter"] == "25"
    assert "portland" in line["hs_description"]
    assert truck["declaration"]["gross_kg"] == 30000
    assert truck["declaration"]["value_by_currency"] == {"USD": 2400}
    assert truck["driver"]["surname"] == "HADDAD" and truck["driver"]["source"] == "mrz"
    assert truck["driver_screening"]["status"] == "clear"
    assert truck["queue_position"] == 1 and truck["estimated_wait_minutes"] is not None
    seed = selection_seed(truck["declaration"]["number"], TEST_SECRET.encode())
    assert truck["risk"]["selection_seed"] == str(seed)
    assert truck["risk"]["random_draw"] == draw_from_seed(seed)
    assert truck["risk"]["inputs"] == {
        "first_time_trader": True,
        "driver_watchlist_match": False,
        "party_watchlist_match": False,
        "recent_lanes": {},  # the crossing's first truck
    }
    assert api.get(f"/trucks/{truck['id']}", Role.SUPERVISOR).json()["lane"] == "yellow"


def test_arrival_at_a_crossing_closed_for_cargo_is_409(api: Api, crossing_code):
    closed = api.post(
        f"/crossings/{crossing_code}/status-changes",
        S,
        {"traffic": ["cargo"], "state": "closed", "reason_category": "maintenance", "reason": "x"},
    )
    assert closed.status_code == 201, closed.text
    response = register(api, crossing_code, arrival())
    assert response.status_code == 409
    assert response.json()["type"].endswith("/crossing-closed")
    assert trucks_at(api, crossing_code) == []
    public = api.get(f"/public/crossings/{crossing_code}", None).json()
    assert public["waits"]["cargo_minutes"] is None


@pytest.mark.parametrize(
    "code",
    ["999999", "990000", "770000", "252399", "2523", "25232X", "01.01.99", "000000", ""],
)
def test_hs_codes_outside_hs_2022_are_422(api: Api, crossing_code, code):
    response = register(api, crossing_code, arrival(items=[item(), item(hs_code=code)]))
    assert invalid_fields(response) == {"declaration.items[1].hs_code"}
    assert trucks_at(api, crossing_code) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 0}, "declaration.items[0].quantity"),
        ({"quantity": -5}, "declaration.items[0].quantity"),
        ({"gross_kg": 0}, "declaration.items[0].gross_kg"),
        ({"gross_kg": -100}, "declaration.items[0].gross_kg"),
        ({"gross_kg": "1.0001"}, "declaration.items[0].gross_kg"),
        ({"value": -1}, "declaration.items[0].value"),
        ({"currency": "XYZ"}, "declaration.items[0].currency"),
        ({"currency": "XTS"}, "declaration.items[0].currency"),
        ({"unit": "bags"}, "declaration.items[0].unit"),
    ],
)
def test_bad_items_are_422_naming_the_field(api: Api, crossing_code, change, field):
    response = register(api, crossing_code, arrival(items=[item(**change)]))
    assert field in invalid_fields(response)
    assert trucks_at(api, crossing_code) == []


def test_a_declaration_with_no_items_or_1000_items_is_422(api: Api, crossing_code):
    assert invalid_fields(register(api, crossing_code, arrival(items=[]))) == {"declaration.items"}
    many = [item(gross_kg=10, quantity=1) for _ in range(1000)]
    assert invalid_fields(register(api, crossing_code, arrival(items=many))) == {
        "declaration.items"
    }
    heavy = [item(gross_kg=40000) for _ in range(4)]  # 160 t: no road vehicle carries that
    assert invalid_fields(register(api, crossing_code, arrival(items=heavy))) == {
        "declaration.items"
    }
    assert trucks_at(api, crossing_code) == []


def test_other_bad_arrivals_are_422(api: Api, crossing_code):
    bad_check = driver_mrz()
    bad_check = bad_check[:-1] + ("1" if bad_check[-1] != "1" else "2")
    fields = invalid_fields(register(api, crossing_code, arrival(driver={"mrz": bad_check})))
    assert fields and all(f.startswith("driver.mrz.") for f in fields)
    assert invalid_fields(register(api, crossing_code, arrival(driver={}))) == {"driver"}
    outbound_import = arrival(direction="outbound")
    assert invalid_fields(register(api, crossing_code, outbound_import)) == {"body"}
    assert "registration_country" in invalid_fields(
        register(api, crossing_code, arrival(registration_country="XXX"))
    )
    assert trucks_at(api, crossing_code) == []


def test_weapons_go_red_and_release_waits_for_a_physical_examination(api: Api, crossing_code):
    pistols = item(hs_code="930200", description="Pistols", quantity=40, unit="pcs", gross_kg=60,
                   value=24000)  # fmt: skip
    truck = green_truck(api, crossing_code, items=[item(), pistols])
    assert truck["lane"] == "red"
    assert [r["rule_id"] for r in truck["lane_reasons"]] == ["arms-ch93"]
    assert "chapter 93" in truck["lane_reasons"][0]["message"]
    tid = truck["id"]

    refused = api.post(f"/trucks/{tid}/release", C)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/inspection-required")

    docs = api.post(f"/trucks/{tid}/inspections", C, {"kind": "documentary", "result": "cleared"})
    assert docs.status_code == 201 and docs.json()["truck_state"] == "inspecting"
    still = api.post(f"/trucks/{tid}/release", C)
    assert still.status_code == 409 and still.json()["type"].endswith("/inspection-required")

    physical = {"kind": "physical", "result": "cleared", "findings": "Licensed, as declared."}
    assert api.post(f"/trucks/{tid}/inspections", C, physical).status_code == 201
    settle(api, tid)  # the arms licence and the duties (tests/clearance has those rules)
    released = api.post(f"/trucks/{tid}/release", C)
    assert released.status_code == 200, released.text
    assert released.json()["state"] == "released"
    assert [i["kind"] for i in released.json()["inspections"]] == ["documentary", "physical"]

    late = api.post(f"/trucks/{tid}/inspections", C, {"kind": "xray", "result": "cleared"})
    assert late.status_code == 409 and late.json()["type"].endswith("/already-released")
    again = api.post(f"/trucks/{tid}/release", C)
    assert again.status_code == 409 and again.json()["type"].endswith("/already-released")


def test_a_seizure_detains_the_truck_and_release_is_refused(api: Api, crossing_code):
    truck = registered(api, crossing_code, arrival())
    tid = truck["id"]
    called = api.post(f"/trucks/{tid}/call", C)
    assert called.status_code == 200 and called.json()["state"] == "inspecting"
    assert called.json()["service_started_at"] is not None
    no_findings = api.post(f"/trucks/{tid}/inspections", C, {"kind": "xray", "result": "seizure"})
    assert invalid_fields(no_findings) == {"body"}
    seizure = {"kind": "xray", "result": "seizure", "findings": "Captagon pills behind the bags."}
    seized = api.post(f"/trucks/{tid}/inspections", C, seizure)
    assert seized.status_code == 201 and seized.json()["truck_state"] == "detained"

    refused = api.post(f"/trucks/{tid}/release", C)
    assert refused.status_code == 409 and refused.json()["type"].endswith("/detained")
    more = {"kind": "physical", "result": "seizure", "findings": "12 kg of pills in all."}
    assert api.post(f"/trucks/{tid}/inspections", C, more).json()["truck_state"] == "detained"
    body = api.get(f"/trucks/{tid}", C).json()
    assert body["state"] == "detained" and body["detained_at"] is not None
    assert len(body["inspections"]) == 2


def test_discrepancy_must_be_cleared_before_release(api: Api, crossing_code):
    tid = registered(api, crossing_code, arrival())["id"]  # yellow: first-time trader
    wrong = {"kind": "documentary", "result": "discrepancy", "findings": "Invoice weight differs."}
    assert api.post(f"/trucks/{tid}/inspections", C, wrong).status_code == 201
    refused = api.post(f"/trucks/{tid}/release", C)
    assert refused.status_code == 409 and refused.json()["type"].endswith("/discrepancy-open")
    fixed = {"kind": "physical", "result": "cleared", "findings": "Weighed again: as declared."}
    assert api.post(f"/trucks/{tid}/inspections", C, fixed).status_code == 201
    settle(api, tid)
    assert api.post(f"/trucks/{tid}/release", C).json()["state"] == "released"


def test_green_truck_is_released_without_control(api: Api, crossing_code):
    truck = green_truck(api, crossing_code)
    assert truck["lane"] == "green" and truck["lane_reasons"] == []
    settle(api, truck["id"])
    released = api.post(f"/trucks/{truck['id']}/release", C)
    assert released.status_code == 200 and released.json()["state"] == "released"
    assert released.json()["queue_position"] is None


def test_arrival_is_idempotent(api: Api, crossing_code):
    body = arrival()
    key = str(uuid.uuid4())
    first = register(api, crossing_code, body, key=key)
    again = register(api, crossing_code, body, key=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert len(trucks_at(api, crossing_code)) == 1
    other = register(api, crossing_code, arrival(), key=key)
    assert other.status_code == 422
    duplicate = register(api, crossing_code, body)  # the same declaration, no key
    assert duplicate.status_code == 409
    assert duplicate.json()["type"].endswith("/declaration-exists")
    assert len(trucks_at(api, crossing_code)) == 1


def test_the_arrival_answers_what_a_read_of_the_truck_gives(api: Api, crossing_code):
    # The answer to an arrival skips what a truck registered in the same transaction cannot have
    # (inspections, payments, permits, amendments, transfers, a case): it must still be the read.
    rifles = item(hs_code="930200", description="Revolvers", gross_kg=40, value=5000)
    medicine = item(hs_code="300490", description="Medicines", gross_kg=900, value=20000)
    for items in ([item()], [item(), rifles, medicine]):
        truck = registered(api, crossing_code, arrival(items=items))
        assert api.get(f"/trucks/{truck['id']}", C).json() == truck
    assert truck["assessment"]["permits_missing"] and truck["assessment"]["due"] != 0


def test_queue_orders_by_priority_class_and_estimates_waits(api: Api, crossing_code):
    first = registered(api, crossing_code, arrival())
    tomatoes = item(hs_code="070200", description="Tomatoes, fresh", gross_kg=18000, value=9000)
    fresh = registered(api, crossing_code, arrival(items=[tomatoes], importer="Qaim Fresh Market"))
    assert fresh["priority_class"] == "perishable"
    lanes = api.post(f"/crossings/{crossing_code}/inspection-lanes", C, {"open": 1})
    assert lanes.status_code == 201 and lanes.json()["open"] == 1
    queue = api.get(f"/crossings/{crossing_code}/queue", Role.IMMIGRATION).json()
    assert queue["lanes_open"] == 1
    assert [t["id"] for t in queue["items"]] == [fresh["id"], first["id"]]
    assert [t["queue_position"] for t in queue["items"]] == [1, 2]
    assert queue["items"][0]["estimated_wait_minutes"] == 0
    assert queue["items"][1]["estimated_wait_minutes"] > 0
    assert queue["new_arrival_wait_minutes"] >= queue["items"][1]["estimated_wait_minutes"]
    public = api.get(f"/public/crossings/{crossing_code}", None).json()
    assert public["waits"]["cargo_minutes"] == queue["new_arrival_wait_minutes"]


def test_hs_look_up(api: Api):
    found = api.get("/hs-codes", C, params={"q": "portland cement"}).json()
    assert "252329" in [f["hs_code"] for f in found]
    assert all(f["hs_description"] for f in found)


@pytest.fixture
def listed_driver(database: Database) -> Iterator[str]:
    name = "Zubair Fadhil Nawfal al-Mayadini"
    csv = f"id,name,aliases,date_of_birth,nationality\nT-1,{name},,1980-01-01,SYR\n".encode()
    with database.transaction() as s:
        watchlist = screening.watchlist_by_name(s, "cargo-test") or screening.create_watchlist(
            s, name="cargo-test", source="test", actor=SYSTEM
        )
        screening.import_watchlist(
            s, watchlist=watchlist, data=csv, fmt="csv", filename=None, actor=SYSTEM
        )
    yield name


def test_a_listed_driver_or_party_sends_the_truck_to_red(api: Api, crossing_code, listed_driver):
    mrz = driver_mrz(surname="al-Mayadini", given_names="Zubair Fadhil Nawfal")
    truck = green_truck(api, crossing_code, driver={"mrz": mrz})
    assert truck["lane"] == "red"
    assert truck["driver_screening"]["status"] == "possible_match"
    assert truck["driver_screening"]["matches"][0]["entry_id"] == "T-1"
    assert "driver-watchlist" in [r["rule_id"] for r in truck["lane_reasons"]]
    party = green_truck(api, crossing_code, exporter=listed_driver)
    assert party["lane"] == "red"
    assert party["declaration"]["party_screening"]["exporter"]["status"] == "possible_match"


@pytest.fixture
def own_api(fresh_database: Database) -> Iterator[Api]:
    """A server on a database of its own: risk-profile changes must not reach other tests."""
    server = LiveServer(fresh_database)
    client = Api(server, create_role_users(fresh_database))
    yield client
    client.http.close()
    server.stop()


def test_the_risk_profile_is_data_a_supervisor_changes_with_an_audit(own_api: Api):
    api = own_api
    shipped = api.get("/risk-profile", C).json()
    assert shipped["version"] == 1 and shipped["created_by"].endswith("(shipped default)")
    cement_rule = {
        "id": "cement-check",
        "condition": {"kind": "hs_prefix", "prefixes": ["2523"]},
        "lane": "red",
        "reason": "cement consignments under review",
    }
    new = {
        "name": "summer 2025",
        "rules": [*shipped["rules"], cement_rule],
        "random_selections": shipped["random_selections"],
        "capacity_share": shipped["capacity_share"],
        "note": "Cement smuggling reported at Albu Kamal.",
    }
    assert api.post("/risk-profile", C, new).status_code == 403
    twice = {**new, "rules": [*new["rules"], cement_rule]}
    assert api.post("/risk-profile", S, twice).status_code == 422
    green_rule = {**new, "rules": [{**cement_rule, "lane": "green"}]}
    assert api.post("/risk-profile", S, green_rule).status_code == 422
    posted = api.post("/risk-profile", S, new)
    assert posted.status_code == 201, posted.text
    assert posted.json()["version"] == 2
    assert posted.json()["unit_values"] == shipped["unit_values"]
    assert api.get("/risk-profile", Role.CUSTOMS).json()["version"] == 2
    versions = api.get("/risk-profile/versions", S).json()
    assert [v["version"] for v in versions] == [2, 1]
    assert api.get("/risk-profile/versions/1", S).json()["sha256"] == shipped["sha256"]

    crossing = api.post(
        "/crossings",
        Role.ADMIN,
        {"code": "IQ-PROF", "name": "P", "country": "IRQ", "neighbour_country": "SYR",
         "counterpart_name": "Q", "timezone": "Asia/Baghdad"},
    )  # fmt: skip
    assert crossing.status_code == 201
    truck = registered(api, "IQ-PROF", arrival())
    assert truck["lane"] == "red" and truck["risk"]["profile_version"] == 2
    assert "cement-check" in [r["rule_id"] for r in truck["lane_reasons"]]

    records = api.get("/audit", Role.AUDITOR, params={"limit": 50}).json()["items"]
    published = [r for r in records if r["action"] == "risk_profile.publish"]
    assert len(published) == 1
    assert published[0]["after"]["version"] == 2
    assert "cement-check" in [r["id"] for r in published[0]["after"]["rules"]]
    assert api.get("/audit/verify", Role.AUDITOR).json()["ok"] is True
