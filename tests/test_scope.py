"""Scope of a user: walk every crossing-scoped route with every permitted role, at a crossing in
the user's scope and at one outside it (as test_permissions.py walks roles)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from borderpost.app import API_PREFIX, create_app, route_permissions
from borderpost.auth import service as auth
from borderpost.auth import users
from borderpost.auth.permissions import Role, has_permission
from borderpost.auth.service import SYSTEM
from borderpost.db import Database
from borderpost.errors import DomainError
from borderpost.scoping import CROSSING_PARAMS, NATIONAL_PARAMS, UNSCOPED
from tests.cargo.factories import arrival
from tests.conftest import NATIONAL, PASSWORD, Api, officers, unique_code
from tests.traveller.passengers import passport

OUT_OF_SCOPE = "/problems/out-of-scope"


def when() -> str:
    return (datetime.now(UTC) - timedelta(hours=1)).isoformat()


# A schema-valid body for each scoped write: the scope is checked when the route starts its work,
# so an invalid body is 422 before it (and says nothing about the crossing).
BODIES: dict[str, Any] = {
    "/crossings/{code}/status-changes": lambda w: {
        "traffic": ["cargo"],
        "state": "restricted",
        "reason_category": "weather",
        "reason": "Dust storm.",
    },
    "/crossings/{code}/assessments": lambda w: {
        "title": "t",
        "findings": "f",
        "recommendation": "reopen",
        "traffic": ["cargo"],
    },
    "/assessments/{assessment_id}/signatures": lambda w: {
        "country": "IRQ",
        "official_name": "N",
        "official_role": "R",
        "decision": "concur",
    },
    "/crossings/{code}/statements": lambda w: {"text_en": "Open.", "text_ar": "مفتوح."},
    "/crossings/{code}/incidents": lambda w: {
        "kind": "other",
        "severity": 2,
        "occurred_at": when(),
        "description": "d",
    },
    "/crossings/{code}/movements": lambda w: {
        "direction": "entry",
        "mrz": passport()[0],
        "travel_mode": "car",
    },
    "/movements/{movement_id}/resolution": lambda w: {"decision": "admitted", "note": "ok"},
    "/crossings/{code}/group-arrivals": lambda w: {
        "category": "refugees",
        "description": "d",
        "arrived_at": when(),
    },
    "/group-arrivals/{group_id}/persons": lambda w: {
        "persons": [{"surname": "Test", "given_names": "Person"}]
    },
    "/group-arrivals/{group_id}/handovers": lambda w: {
        "person_ids": [w["person_id"]],
        "to": "Military police",
        "handed_over_at": when(),
    },
    "/group-arrivals/{group_id}/custody-changes": lambda w: {
        "person_ids": [w["person_id"]],
        "status": "in_hospital",
        "changed_at": when(),
    },
    "/crossings/{code}/trucks": lambda w: arrival(),
    "/trucks/{truck_id}/call": lambda w: None,
    "/trucks/{truck_id}/inspections": lambda w: {"kind": "documentary", "result": "cleared"},
    "/trucks/{truck_id}/release": lambda w: None,
    "/crossings/{code}/inspection-lanes": lambda w: {"open": 2},
    # clearance, transit and admission (second wave)
    "/trucks/{truck_id}/payments": lambda w: {
        "receipt_number": "RC-" + secrets.token_hex(5).upper(),
        "amount": 1000,
        "currency": "IQD",
        "method": "cash",
    },
    "/trucks/{truck_id}/permits": lambda w: {
        "kind": "licence",
        "number": "LIC-" + secrets.token_hex(4).upper(),
        "issued_by": "Ministry of Interior",
    },
    "/trucks/{truck_id}/amendments": lambda w: {
        "items": arrival()["declaration"]["items"],
        "reason": "Discrepancy found.",
    },
    "/trucks/{truck_id}/humanitarian-confirmation": lambda w: None,
    "/trucks/{truck_id}/transit": lambda w: {
        "seals": ["S-1"],
        "guarantee_ref": "TIR-1",
        "office_of_destination": "Baghdad",
    },
    "/trucks/{truck_id}/transfers": lambda w: {
        "plate": "BG-" + secrets.token_hex(3).upper(),
        "registration_country": "IRQ",
        "driver": arrival()["driver"],
        "declaration_number": "TR-" + secrets.token_hex(4).upper(),
        "lines": [{"item_index": 1, "gross_kg": 10}],
    },
    "/cases/{case_id}/handover": lambda w: {"to": "Police", "note": "Handed over."},
    "/crossings/{code}/pre-arrivals": lambda w: {
        **arrival()["declaration"],
        "number": "PA-" + secrets.token_hex(4).upper(),
    },
    "/crossings/{code}/pre-arrivals/{number}/arrival": lambda w: {
        key: arrival()[key] for key in ("direction", "plate", "registration_country", "driver")
    },
    "/crossings/{code}/air-movements": lambda w: {
        "direction": "entry",
        "mrz": passport()[0],
        "airport": "BGW",
        "crossed_at": "2026-11-30T10:00:00Z",
    },
}
UPLOADS = {"/group-arrivals/{group_id}/persons/upload", "/cases/{case_id}/photos"}


def crossing(api: Api, country: str, neighbour: str) -> str:
    code = unique_code(country[:2])
    body = {
        "code": code,
        "name": "Scope test",
        "country": country,
        "neighbour_country": neighbour,
        "counterpart_name": "Counterpart",
        "timezone": "Asia/Baghdad",
    }
    response = api.post("/crossings", Role.ADMIN, body)
    assert response.status_code == 201, response.text
    return code


def resources(api: Api, code: str) -> dict[str, str]:
    """A record of each kind at the crossing, made by that crossing's own officers."""
    assessment = api.post(
        f"/crossings/{code}/assessments",
        Role.SUPERVISOR,
        BODIES["/crossings/{code}/assessments"](None),
    )
    movement = api.post(
        f"/crossings/{code}/movements",
        Role.IMMIGRATION,
        BODIES["/crossings/{code}/movements"](None),
    )
    truck = api.post(f"/crossings/{code}/trucks", Role.CUSTOMS, arrival())
    group = api.post(
        f"/crossings/{code}/group-arrivals",
        Role.SECURITY,
        BODIES["/crossings/{code}/group-arrivals"](None),
    )
    for r in (assessment, movement, truck, group):
        assert r.status_code == 201, r.text
    persons = api.post(
        f"/group-arrivals/{group.json()['id']}/persons",
        Role.SECURITY,
        {"persons": [{"surname": "Test", "given_names": "Person"}]},
    )
    assert persons.status_code == 201, persons.text
    # A second truck, seized: its case (the driver and the goods) belongs to the crossing.
    seized = api.post(f"/crossings/{code}/trucks", Role.CUSTOMS, arrival())
    assert seized.status_code == 201, seized.text
    if seized.json()["state"] == "held":  # Jordan wants a visa of a driver: admitted on review
        driver = seized.json()["driver_movement"]["id"]
        resolution = {"decision": "admitted", "note": "Visa seen on review."}
        admitted = api.post(f"/movements/{driver}/resolution", Role.SUPERVISOR, resolution)
        assert admitted.status_code == 200, admitted.text
    seizure = {"kind": "physical", "result": "seizure", "findings": "Concealed goods."}
    found = api.post(f"/trucks/{seized.json()['id']}/inspections", Role.CUSTOMS, seizure)
    assert found.status_code == 201, found.text
    case = api.get(f"/trucks/{seized.json()['id']}", Role.CUSTOMS).json()["case"]
    return {
        "case_id": case["id"],
        "code": code,
        "assessment_id": assessment.json()["id"],
        "movement_id": movement.json()["id"],
        "truck_id": truck.json()["id"],
        "group_id": group.json()["id"],
        "person_id": persons.json()["person_ids"][0],
        "document_number": movement.json()["traveller"]["document_number"],
        "issuing_state": movement.json()["traveller"]["issuing_state"],
    }


@dataclass
class World:
    api: Api  # IRQ officers, SYR liaison, national admin/analyst/auditor
    jordan: Api  # JOR officers
    own: dict[str, str]  # IRQ facing SYR: in every test user's scope
    other: dict[str, str]  # JOR facing IRQ: in the national users' scope only
    second: str  # IRQ facing JOR: for crossing lists


@pytest.fixture(scope="module")
def world(api: Api, database: Database) -> World:
    jordan = Api(api.server, officers(database, "JOR", [Role.SUPERVISOR, Role.IMMIGRATION,
                                                        Role.CUSTOMS, Role.SECURITY]))  # fmt: skip
    jordan.users[Role.ADMIN] = api.users[Role.ADMIN]
    own = crossing(api, "IRQ", "SYR")
    other = crossing(api, "JOR", "IRQ")
    second = crossing(api, "IRQ", "JOR")
    return World(api, jordan, resources(api, own), resources(jordan, other), second)


def fill(path: str, values: dict[str, str]) -> str:
    # A national parameter after a scoped one (a pre-arrival's number, a case's photo) needs no
    # real record: the scoped part of the path is checked first.
    return re.sub(
        r"\{(\w+)\}",
        lambda m: (
            values[m.group(1)] if m.group(1) in CROSSING_PARAMS else values.get(m.group(1), "X")
        ),
        path,
    )


def call(api: Api, method: str, template: str, values: dict[str, str], role: Role):
    path = fill(template, values)
    if method == "GET":
        return api.get(path, role)
    if template in UPLOADS:
        files = {"file": ("p.csv", b"surname,given_names\nTest,Person\n", "text/csv")}
        return api.http.post(path, headers=api.headers(role), files=files)
    return api.post(path, role, BODIES[template](values))


def scoped_routes() -> list[tuple[str, str, Any]]:
    routes = []
    for (method, path), permission in sorted(route_permissions().items()):
        params = set(re.findall(r"\{(\w+)\}", path))
        if permission is None or permission in UNSCOPED or not params & CROSSING_PARAMS.keys():
            continue
        routes.append((method, path.removeprefix(API_PREFIX), permission))
    return routes


def test_every_path_parameter_is_scoped_or_national():
    """A new kind of record in a path must say how it is scoped (scoping.py)."""
    app = create_app(database=Database("sqlite://"))
    unknown = set()
    for route in app.routes:
        for name in re.findall(r"\{(\w+)(?::\w+)?\}", getattr(route, "path", "")):
            if name not in CROSSING_PARAMS and name not in NATIONAL_PARAMS:
                unknown.add(f"{route.path}: {name}")
    assert not unknown, unknown


def test_every_scoped_write_has_a_sample_body():
    missing = [
        p for m, p, _ in scoped_routes() if m == "POST" and p not in BODIES | dict.fromkeys(UPLOADS)
    ]
    assert not missing, f"add a schema-valid body to BODIES for: {missing}"


def test_the_scope_matrix(world: World):
    """role x own/other crossing x route: own is never /out-of-scope, other always is unless
    the role is national (no country) and the crossing is therefore its own too."""
    failures = []
    for method, path, permission in scoped_routes():
        for role in Role:
            if not has_permission(role, permission):
                continue
            for where, values, in_scope in (
                ("own", world.own, True),
                ("other", world.other, role in NATIONAL),
            ):
                response = call(world.api, method, path, values, role)
                status = response.status_code
                refused = status == 403 and response.json()["type"] == OUT_OF_SCOPE
                if status >= 500 or in_scope == refused:
                    failures.append(f"{method} {path} as {role.value} at {where}: {status}")
    assert not failures, "\n".join(failures)


def test_the_neighbours_officers_are_kept_to_theirs(world: World):
    """The same walk from the other side: Jordanian officers at the Iraqi crossing."""
    failures = []
    for method, path, permission in scoped_routes():
        for role in world.jordan.users:
            if role == Role.ADMIN or not has_permission(role, permission):
                continue
            response = call(world.jordan, method, path, world.own, role)
            if response.status_code != 403 or response.json()["type"] != OUT_OF_SCOPE:
                failures.append(f"{method} {path} as JOR {role.value}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_syrian_supervisor_cannot_close_or_speak_for_an_iraqi_jordanian_crossing(
    world: World, database: Database
):
    syrian = Api(world.api.server, officers(database, "SYR", [Role.SUPERVISOR]))
    close = {"traffic": ["cargo", "passenger"], "state": "closed", "reason_category": "security",
             "reason": "Clashes."}  # fmt: skip
    for path, body in (
        (f"/crossings/{world.second}/status-changes", close),
        (f"/crossings/{world.second}/statements", {"text_en": "Closed.", "text_ar": "مغلق."}),
    ):
        response = syrian.post(path, Role.SUPERVISOR, body)
        assert response.status_code == 403 and response.json()["type"] == OUT_OF_SCOPE
    status = world.api.get(f"/crossings/{world.second}", Role.SUPERVISOR).json()["status"]
    assert status["cargo"]["state"] == "open" and status["passenger"]["state"] == "open"


def test_a_supervisor_without_a_country_acts_and_signs_for_no_state(
    world: World, database: Database
):
    with pytest.raises(DomainError) as exc, database.transaction() as s:
        auth.create_user(
            s, username="nocountry", password=PASSWORD, role=Role.SUPERVISOR, country=None,
            actor=SYSTEM,
        )  # fmt: skip
    assert exc.value.errors[0].field == "country"
    # One left from before the rule (the migration could not tell their country).
    name = f"legacy.{secrets.token_hex(3)}"
    with database.transaction() as s:
        user = auth.create_user(
            s, username=name, password=PASSWORD, role=Role.SUPERVISOR, country="IRQ", actor=SYSTEM
        )
        user.country = None
    legacy = Api(world.api.server, {Role.SUPERVISOR: name})
    opened = world.api.post(f"/crossings/{world.own['code']}/assessments", Role.SUPERVISOR,
                            BODIES["/crossings/{code}/assessments"](None))  # fmt: skip
    signature = BODIES["/assessments/{assessment_id}/signatures"](None) | {"country": "SYR"}
    response = legacy.post(f"/assessments/{opened.json()['id']}/signatures",
                           Role.SUPERVISOR, signature)  # fmt: skip
    assert response.status_code == 403 and response.json()["type"] == OUT_OF_SCOPE
    assessment = world.api.get(f"/assessments/{opened.json()['id']}", Role.SUPERVISOR)
    assert assessment.json()["signatures"] == []


def test_an_iraqi_supervisor_signs_for_iraq_only(world: World):
    path = f"/assessments/{world.own['assessment_id']}/signatures"
    body = BODIES["/assessments/{assessment_id}/signatures"](None)
    response = world.api.post(path, Role.SUPERVISOR, body | {"country": "SYR"})
    assert response.status_code == 403 and response.json()["type"] == "/problems/wrong-country"


def test_a_list_of_crossings_narrows_the_scope(world: World, database: Database):
    listed = Api(
        world.api.server,
        officers(database, "IRQ", [Role.IMMIGRATION, Role.CUSTOMS],
                 immigration=[world.second], customs=[world.second]),
    )  # fmt: skip
    body = BODIES["/crossings/{code}/movements"](None)
    assert (
        listed.post(f"/crossings/{world.second}/movements", Role.IMMIGRATION, body).status_code
        == 201
    )
    refused = listed.post(f"/crossings/{world.own['code']}/movements", Role.IMMIGRATION, body)
    assert refused.status_code == 403 and refused.json()["type"] == OUT_OF_SCOPE
    truck = listed.get(f"/trucks/{world.own['truck_id']}", Role.CUSTOMS)
    assert truck.status_code == 403 and truck.json()["type"] == OUT_OF_SCOPE


def test_a_traveller_is_read_only_through_the_crossings_in_scope(world: World):
    query = {"document_number": world.own["document_number"],
             "issuing_state": world.own["issuing_state"]}  # fmt: skip
    found = world.api.get("/travellers", Role.IMMIGRATION, params=query)
    assert found.status_code == 200, found.text
    assert [m["crossing"] for m in found.json()["movements"]] == [world.own["code"]]
    refused = world.jordan.get("/travellers", Role.IMMIGRATION, params=query)
    assert refused.status_code == 403 and refused.json()["type"] == OUT_OF_SCOPE


def test_what_every_role_may_read_of_any_crossing_stays_readable(world: World):
    for path in ("/crossings/{code}", "/crossings/{code}/status-changes",
                 "/crossings/{code}/incidents", "/crossings/{code}/queue",
                 "/assessments/{assessment_id}"):  # fmt: skip
        assert world.jordan.get(fill(path, world.own), Role.SECURITY).status_code == 200, path


def test_an_administrator_of_a_state_creates_its_crossings_and_accounts_only(
    world: World, database: Database
):
    iraqi_admin = Api(world.api.server, officers(database, "IRQ", [Role.ADMIN]))
    body = {"code": unique_code("JO"), "name": "n", "country": "JOR", "neighbour_country": "IRQ",
            "counterpart_name": "c", "timezone": "Asia/Amman"}  # fmt: skip
    response = iraqi_admin.post("/crossings", Role.ADMIN, body)
    assert response.status_code == 403 and response.json()["type"] == OUT_OF_SCOPE
    account = {"username": f"j{secrets.token_hex(3)}", "password": "a-long-unusual-phrase-9",
               "role": "customs", "country": "JOR"}  # fmt: skip
    response = iraqi_admin.post("/users", Role.ADMIN, account)
    assert response.status_code == 403 and response.json()["type"] == OUT_OF_SCOPE
    listed = iraqi_admin.get("/users", Role.ADMIN).json()
    assert listed and all(u["country"] == "IRQ" for u in listed)


def test_a_user_without_a_crossing_list_reads_as_empty(world: World):
    users_ = world.api.get("/users", Role.ADMIN).json()
    mine = next(u for u in users_ if u["username"] == world.api.users[Role.IMMIGRATION])
    assert mine["crossings"] == [] and mine["country"] == "IRQ"


def test_the_scope_is_read_per_request(world: World, database: Database):
    """A new scope applies at once, with the tokens already issued."""
    names = officers(database, "IRQ", [Role.CUSTOMS])
    client = Api(world.api.server, names)
    path = f"/trucks/{world.own['truck_id']}"
    assert client.get(path, Role.CUSTOMS).status_code == 200
    with database.transaction() as s:
        user = users.get_user(s, names[Role.CUSTOMS], actor=SYSTEM)
        users.set_scope(s, user=user, country="IRQ", crossings=[world.second], actor=SYSTEM)
    assert client.get(path, Role.CUSTOMS).status_code == 403


def test_unknown_records_are_still_404(world: World):
    response = world.api.get("/movements/nosuchmovement", Role.IMMIGRATION)
    assert response.status_code == 404
