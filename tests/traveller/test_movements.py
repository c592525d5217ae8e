"""The Passengers section of api-v1.md (movements, resolutions, travellers) over HTTP."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from passengers import (
    LISTED,
    close_for_passengers,
    install_watchlist,
    move,
    passport,
    visa,
    visitor,
)
from tests.conftest import Api

from borderpost.auth.permissions import Role
from borderpost.db import Database

S, IM = Role.SUPERVISOR, Role.IMMIGRATION


@pytest.fixture(scope="module", autouse=True)
def _watchlist(database: Database) -> None:
    install_watchlist(database)


def traveller(api: Api, number: str, state: str):
    return api.get(f"/travellers?document_number={number}&issuing_state={state}", IM)


def test_an_admitted_entry_and_its_traveller(api: Api, crossing_code: str):
    mrz, number, state = visitor(api, surname="HADDAD", given_names="SAMI", nationality="SYR")
    response = move(api, crossing_code, mrz, purpose="family visit")
    assert response.status_code == 201, response.text
    movement = response.json()
    assert movement["decision"] == "admitted"
    assert [r["code"] for r in movement["reasons"]] == ["permit_valid"]
    assert movement["crossing"] == crossing_code and movement["direction"] == "entry"
    assert movement["screening"] == {"status": "clear", "matches": []}
    assert movement["traveller"] == {
        "document_type": "P",
        "document_number": number,
        "issuing_state": "SYR",
        "nationality": "SYR",
        "surname": "HADDAD",
        "given_names": "SAMI",
        "birth_date": "1990-03-04",
        "sex": "M",
        "expiry_date": "2031-05-06",
    }
    assert movement["recorded_at"].endswith("Z")
    fetched = api.get(f"/movements/{movement['id']}", Role.SUPERVISOR)
    assert fetched.status_code == 200 and fetched.json() == movement

    found = traveller(api, number, state)
    assert found.status_code == 200
    body = found.json()
    assert body["present_in_country"] is True
    assert [m["id"] for m in body["movements"]] == [movement["id"]]


def test_td1_id_card_and_typed_document(api: Api, crossing_code: str):
    mrz, _number, _ = passport(nationality="IRQ", td1=True)
    card = move(api, crossing_code, mrz, "exit")
    assert card.status_code == 201, card.text
    assert card.json()["traveller"]["document_type"] == "I"
    assert card.json()["source"] == "mrz"

    typed_number = "TYPED" + uuid.uuid4().hex[:6].upper()
    visa(api, typed_number, "JOR")
    typed = api.post(
        f"/crossings/{crossing_code}/movements",
        IM,
        {
            "direction": "entry",
            "travel_mode": "foot",
            "document": {
                "document_type": "P",
                "document_number": typed_number,
                "issuing_state": "JOR",
                "nationality": "JOR",
                "surname": "Khoury",
                "given_names": "Rami",
                "birth_date": "1985-01-02",
                "sex": "M",
                "expiry_date": "2030-01-01",
            },
        },
    )
    assert typed.status_code == 201, typed.text
    assert typed.json()["decision"] == "admitted" and typed.json()["source"] == "document"
    assert typed.json()["traveller"]["document_number"].startswith("TYPED"), "upper-cased"


def test_entry_exit_and_the_referrals_for_the_same_direction_twice(api: Api, crossing_code: str):
    mrz, number, state = visitor(api)
    assert move(api, crossing_code, mrz, "entry").json()["decision"] == "admitted"
    again = move(api, crossing_code, mrz, "entry").json()
    assert again["decision"] == "referred"
    assert [r["code"] for r in again["reasons"]] == ["permit_valid", "already_in_country"]
    assert traveller(api, number, state).json()["present_in_country"] is True

    out = move(api, crossing_code, mrz, "exit").json()
    assert out["decision"] == "admitted"
    assert traveller(api, number, state).json()["present_in_country"] is False
    twice = move(api, crossing_code, mrz, "exit").json()
    assert twice["decision"] == "referred"
    assert [r["code"] for r in twice["reasons"]] == ["not_in_country"]

    history = traveller(api, number, state).json()["movements"]
    assert [(m["direction"], m["decision"]) for m in history] == [
        ("exit", "referred"),
        ("exit", "admitted"),
        ("entry", "referred"),
        ("entry", "admitted"),
    ]


def test_an_expired_document_is_refused_with_ground_a(api: Api, crossing_code: str):
    mrz, number, state = passport(expiry_date=date(2024, 1, 31))
    response = move(api, crossing_code, mrz)
    assert response.status_code == 201, "a refusal is a recorded decision"
    body = response.json()
    assert body["decision"] == "refused"
    assert body["reasons"][0]["code"] == "document_expired"
    assert body["reasons"][0]["refusal_ground"] == "A"
    assert traveller(api, number, state).json()["present_in_country"] is None


def test_a_watchlist_match_is_referred_and_a_supervisor_admits(api: Api, crossing_code: str):
    entry_id, name, born, nat = LISTED[0]
    given, surname = " ".join(name.split()[:3]), name.split()[3]
    mrz, number, state = visitor(
        api,
        surname=surname,
        given_names=given,
        nationality=nat,
        birth_date=date.fromisoformat(born),
    )
    referred = move(api, crossing_code, mrz).json()
    assert referred["decision"] == "referred"
    assert [r["code"] for r in referred["reasons"]] == ["permit_valid", "watchlist_possible_match"]
    assert referred["screening"]["status"] == "possible_match"
    match = referred["screening"]["matches"][0]
    assert match["entry_id"] == entry_id and match["list"] == "traveller-tests"
    assert 0.75 <= match["score"] <= 1.0
    assert traveller(api, number, state).json()["present_in_country"] is None

    denied = api.post(
        f"/movements/{referred['id']}/resolution", IM, {"decision": "admitted", "note": "x"}
    )
    assert denied.status_code == 403
    resolved = api.post(
        f"/movements/{referred['id']}/resolution",
        S,
        {"decision": "admitted", "note": "Not the listed person: different father's name."},
    )
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert body["decision"] == "admitted"
    assert body["resolution"]["decision"] == "admitted"
    assert body["resolution"]["resolved_by"].startswith("supervisor")
    assert body["reasons"][-1]["code"] == "admitted_on_referral"
    assert traveller(api, number, state).json()["present_in_country"] is True

    again = api.post(
        f"/movements/{referred['id']}/resolution", S, {"decision": "refused", "note": "x"}
    )
    assert again.status_code == 409 and again.json()["type"].endswith("/not-referred")
    assert api.get(f"/movements/{referred['id']}", S).json()["decision"] == "admitted"


def test_a_referral_refused_carries_its_ground(api: Api, crossing_code: str):
    _, name, _born, nat = LISTED[1]
    parts = name.split()
    mrz, _, _ = passport(
        surname=parts[-1], given_names=" ".join(parts[:-1]), nationality=nat, birth_date=None
    )
    referred = move(api, crossing_code, mrz).json()
    assert referred["decision"] == "referred"
    refused = api.post(
        f"/movements/{referred['id']}/resolution",
        S,
        {"decision": "refused", "note": "Identity confirmed at secondary inspection."},
    ).json()
    assert refused["decision"] == "refused"
    assert refused["reasons"][-1] == {
        "code": "refused_on_referral",
        "message": refused["reasons"][-1]["message"],
        "refusal_ground": "H",
    }


def test_resolving_a_movement_that_was_not_referred_is_409(api: Api, crossing_code: str):
    mrz, _, _ = visitor(api)
    admitted = move(api, crossing_code, mrz).json()
    response = api.post(
        f"/movements/{admitted['id']}/resolution", S, {"decision": "refused", "note": "x"}
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/not-referred")
    assert api.get(f"/movements/{admitted['id']}", S).json()["resolution"] is None
    missing = api.post("/movements/nope/resolution", S, {"decision": "refused", "note": "x"})
    assert missing.status_code == 404


def test_a_ground_on_an_admission_is_422(api: Api, crossing_code: str):
    response = api.post(
        "/movements/whatever/resolution",
        S,
        {"decision": "admitted", "note": "x", "refusal_ground": "A"},
    )
    assert response.status_code == 422


def test_a_movement_at_a_crossing_closed_to_passengers_is_409_and_records_nothing(
    api: Api, crossing_code: str
):
    close_for_passengers(api, crossing_code)
    mrz, number, state = passport()
    response = move(api, crossing_code, mrz)
    assert response.status_code == 409
    assert response.json()["type"].endswith("/crossing-closed")
    assert traveller(api, number, state).status_code == 404


def test_the_same_idempotency_key_records_one_movement(api: Api, crossing_code: str):
    mrz, number, state = passport()
    body = {"direction": "entry", "mrz": mrz, "travel_mode": "bus"}
    key = uuid.uuid4().hex
    first = api.post(f"/crossings/{crossing_code}/movements", IM, body, key=key)
    second = api.post(f"/crossings/{crossing_code}/movements", IM, body, key=key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert len(traveller(api, number, state).json()["movements"]) == 1


def test_travellers_lookup_errors(api: Api):
    assert api.get("/travellers?document_number=NOPE123&issuing_state=SYR", IM).status_code == 404
    assert api.get("/travellers?document_number=X", IM).status_code == 422
    assert api.get("/travellers?document_number=X&issuing_state=SYR", Role.CUSTOMS).status_code == (
        403
    )


# --- bad input ------------------------------------------------------------------------------


def _lines(mrz: str) -> list[str]:
    return mrz.split("\n")


GOOD, _, _ = passport(surname="ALANI", given_names="OMAR", birth_date=date(1980, 1, 2))
L1, L2 = _lines(GOOD)


@pytest.mark.parametrize(
    ("mrz", "field"),
    [
        (L1 + "\n" + L2[:-1], "mrz.line2"),  # a line of the wrong length
        (L1[:-1] + "\n" + L2 + "<", "mrz.line1"),
        (L1.replace("OMAR", "OM@R") + "\n" + L2, "mrz.line1"),  # an illegal character
        (L1.lower() + "\n" + L2, "mrz.line1"),  # lower case
        (L1, "mrz"),  # a missing line
        (L1 + "\n" + L2.replace("800102", "991340"), "mrz.birth_date"),  # no 40th of a 13th month
        (L1 + "\n" + L2[:13] + "8001035" + L2[20:], "mrz.birth_date_check"),  # a check digit fails
        ("", "mrz"),
    ],
    ids=["short-line2", "short-line1", "illegal", "lower", "one-line", "991340", "check", "empty"],
)
def test_bad_mrz_is_422_naming_the_field_and_records_nothing(
    api: Api, crossing_code: str, mrz: str, field: str
):
    response = move(api, crossing_code, mrz)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in problem["errors"]], problem
    number = L2[:9].rstrip("<")
    assert traveller(api, number, "SYR").status_code == 404


def test_the_specimen_state_is_refused_for_a_real_movement(api: Api, crossing_code: str):
    mrz, _, _ = passport(nationality="UTO")
    response = move(api, crossing_code, mrz)
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert "mrz.issuing_state" in fields and "mrz.nationality" in fields


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"mrz": None}, "body"),
        (
            {
                "document": {
                    "document_number": "B0TH1",
                    "issuing_state": "SYR",
                    "nationality": "SYR",
                    "surname": "Both",
                    "sex": "M",
                    "expiry_date": "2030-01-01",
                }
            },
            "body",
        ),
        ({"direction": "sideways"}, "direction"),
        ({"travel_mode": "camel"}, "travel_mode"),
    ],
)
def test_bad_movement_bodies_are_422(api: Api, crossing_code: str, patch, field):
    body = {"direction": "entry", "mrz": GOOD, "travel_mode": "car"} | patch
    body = {k: v for k, v in body.items() if v is not None}
    response = api.post(f"/crossings/{crossing_code}/movements", IM, body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"nationality": "UTO"}, "document.nationality"),
        ({"issuing_state": "QQQ"}, "document.issuing_state"),
        ({"expiry_date": "2030-13-01"}, "document.expiry_date"),
        ({"birth_date": "2999-01-01"}, "document.birth_date"),
        ({"sex": "Q"}, "document.sex"),
        ({"document_number": "AB-12"}, "document.document_number"),
        ({"surname": ""}, "document.surname"),
    ],
)
def test_bad_typed_documents_are_422(api: Api, crossing_code: str, patch, field):
    document = {
        "document_number": "N" + uuid.uuid4().hex[:7],
        "issuing_state": "SYR",
        "nationality": "SYR",
        "surname": "Haddad",
        "sex": "F",
        "expiry_date": "2030-01-01",
    } | patch
    response = api.post(
        f"/crossings/{crossing_code}/movements",
        IM,
        {"direction": "entry", "document": document, "travel_mode": "foot"},
    )
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
