"""Invisible characters in a name do not hide a listed person, wherever the name enters.

A typed travel document, a truck's exporter and a group arrival's persons each carry a listed
name with one invisible character inside a word; each is still a possible match. A required name
made only of invisible characters is refused with 422 naming the field.
"""

from __future__ import annotations

import uuid

import pytest

from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.db import Database
from borderpost.screening import service as screening
from borderpost.screening.normalise import clean_name, parse
from tests.cargo.test_api import green_truck
from tests.conftest import Api

SURNAME, GIVEN = "al-Samhouri", "Dirar Mushtaq Fanous"
LISTED_NAME = f"{GIVEN} {SURNAME}"

INVISIBLE = {
    "zero width space": "\u200b",
    "zero width non-joiner": "\u200c",
    "zero width joiner": "\u200d",
    "soft hyphen": "\u00ad",
    "word joiner": "\u2060",
    "left-to-right mark": "\u200e",
    "right-to-left mark": "\u200f",
    "byte order mark": "\ufeff",
    "variation selector 16": "\ufe0f",
    "variation selector 1": "\ufe00",
    "arabic letter mark": "\u061c",
    "right-to-left embedding": "\u202b",
}


def hidden(name: str, mark: str) -> str:
    """The mark inside the first word of at least four letters (where it splits a name)."""
    words = name.split(" ")
    i = next(n for n, w in enumerate(words) if len(w) >= 4)
    words[i] = words[i][:2] + mark + words[i][2:]
    return " ".join(words)


@pytest.fixture(scope="module", autouse=True)
def _listed(database: Database) -> None:
    csv = f"id,name,aliases,date_of_birth,nationality\nINV-1,{LISTED_NAME},,1979-03-03,SYR\n"
    with database.transaction() as s:
        if screening.watchlist_by_name(s, "invisible-tests"):
            return
        watchlist = screening.create_watchlist(s, name="invisible-tests", source="t", actor=SYSTEM)
        screening.import_watchlist(
            s, watchlist=watchlist, data=csv.encode(), fmt="csv", filename=None, actor=SYSTEM
        )


@pytest.mark.parametrize("mark", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_the_clean_up_removes_each_mark(mark: str):
    assert clean_name(hidden(LISTED_NAME, mark)) == LISTED_NAME
    assert parse(hidden(LISTED_NAME, mark)) == parse(LISTED_NAME)
    assert clean_name(f"  {mark}{mark} ") == ""


def typed_document(surname: str, given_names: str = GIVEN) -> dict:
    return {
        "document_type": "P",
        "document_number": "INV" + uuid.uuid4().hex[:6],
        "issuing_state": "SYR",
        "nationality": "SYR",
        "surname": surname,
        "given_names": given_names,
        "birth_date": "1979-03-03",
        "sex": "M",
        "expiry_date": "2031-01-01",
    }


def test_a_typed_document_with_an_invisible_character_is_still_matched(
    api: Api, crossing_code: str
):
    for name, mark in INVISIBLE.items():
        doc = typed_document(hidden(SURNAME, mark), hidden(GIVEN, mark))
        body = {"direction": "entry", "travel_mode": "foot", "document": doc}
        response = api.post(f"/crossings/{crossing_code}/movements", Role.IMMIGRATION, body)
        assert response.status_code == 201, (name, response.text)
        movement = response.json()
        assert movement["screening"]["status"] == "possible_match", name
        assert movement["screening"]["matches"][0]["entry_id"] == "INV-1", name
        assert movement["traveller"]["surname"] == SURNAME, "stored without the mark"


def test_a_truck_exporter_with_an_invisible_character_is_still_matched(
    api: Api, crossing_code: str
):
    for name, mark in INVISIBLE.items():
        truck = green_truck(api, crossing_code, exporter=hidden(LISTED_NAME, mark))
        exporter = truck["declaration"]["party_screening"]["exporter"]
        assert exporter["status"] == "possible_match", name
        assert exporter["matches"][0]["entry_id"] == "INV-1", name


def test_group_persons_with_an_invisible_character_are_still_matched(api: Api, crossing_code: str):
    response = api.post(
        f"/crossings/{crossing_code}/group-arrivals",
        Role.SECURITY,
        {"category": "other", "description": "invisible", "arrived_at": "2024-12-07T08:00:00Z"},
    )
    group_id = response.json()["id"]
    persons = [
        {"surname": hidden(SURNAME, mark), "given_names": hidden(GIVEN, mark)}
        for mark in INVISIBLE.values()
    ]
    response = api.post(f"/group-arrivals/{group_id}/persons", Role.SECURITY, {"persons": persons})
    assert response.status_code == 201, response.text
    found = response.json()["possible_matches"]
    assert [m["index"] for m in found] == list(range(len(INVISIBLE)))
    assert {m["matches"][0]["entry_id"] for m in found} == {"INV-1"}


def fields(response) -> set[str]:
    assert response.status_code == 422, response.text
    return {e["field"] for e in response.json()["errors"]}


def test_a_required_name_that_is_only_invisible_is_refused(api: Api, crossing_code: str):
    only_marks = "\u200b\u200d\u2060\ufeff"
    body = {"direction": "entry", "travel_mode": "foot", "document": typed_document(only_marks)}
    response = api.post(f"/crossings/{crossing_code}/movements", Role.IMMIGRATION, body)
    assert "document.surname" in fields(response)

    response = api.post(
        f"/crossings/{crossing_code}/trucks", Role.CUSTOMS, _arrival(exporter=only_marks)
    )
    assert "declaration.exporter" in fields(response)

    response = api.post(
        f"/crossings/{crossing_code}/group-arrivals",
        Role.SECURITY,
        {"category": "other", "description": "invisible", "arrived_at": "2024-12-07T08:00:00Z"},
    )
    persons = [{"surname": only_marks, "given_names": "Ali"}]
    response = api.post(
        f"/group-arrivals/{response.json()['id']}/persons", Role.SECURITY, {"persons": persons}
    )
    assert any(f.endswith("surname") for f in fields(response))


def _arrival(**overrides) -> dict:
    from tests.cargo.factories import arrival

    return arrival(**overrides)
