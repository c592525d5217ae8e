"""Group arrivals over HTTP: batches (JSON and CSV), screening, custody, handovers."""

from __future__ import annotations

import random

import pytest
from passengers import LISTED, close_for_passengers, install_watchlist, word
from tests.conftest import Api

from borderpost.auth.permissions import Role
from borderpost.db import Database

SEC, S = Role.SECURITY, Role.SUPERVISOR


@pytest.fixture(scope="module", autouse=True)
def _watchlist(database: Database) -> None:
    install_watchlist(database)


def new_group(api: Api, code: str, category: str = "surrendering_military") -> str:
    response = api.post(
        f"/crossings/{code}/group-arrivals",
        SEC,
        {
            "category": category,
            "description": "Soldiers crossing and surrendering at the berm.",
            "arrived_at": "2024-12-07T08:00:00Z",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def people(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    return [
        {
            "surname": word(rng),
            "given_names": word(rng, 5),
            "birth_date": "1995-05-05",
            "nationality": "SYR",
            "rank": "Private",
            "unit": "17th Division",
            "items_surrendered": [{"kind": "weapon", "description": "AK-47 rifle"}],
        }
        for _ in range(n)
    ]


def register(api: Api, group_id: str, persons: list[dict]):
    return api.post(f"/group-arrivals/{group_id}/persons", SEC, {"persons": persons})


def group(api: Api, group_id: str, **params):
    return api.get(f"/group-arrivals/{group_id}", Role.SUPERVISOR, params=params)


def test_a_group_arrives_while_the_crossing_is_closed(api: Api, crossing_code: str):
    close_for_passengers(api, crossing_code)
    group_id = new_group(api, crossing_code)
    _, name, born, nat = LISTED[0]
    parts = name.split()
    batch = [
        *people(3),
        {
            "surname": parts[-1],
            "given_names": " ".join(parts[:-1]),
            "birth_date": born,
            "nationality": nat,
            "rank": "Colonel",
            "wounded": True,
            "custody_status": "in_hospital",
            "items_surrendered": ["pistol", {"kind": "vehicle", "description": "T-72 tank"}],
            "document": {"document_number": "n0012345", "issuing_state": "SYR"},
        },
    ]
    response = register(api, group_id, batch)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["registered"] == 4 and len(body["person_ids"]) == 4
    assert [m["index"] for m in body["possible_matches"]] == [3]
    assert body["possible_matches"][0]["matches"][0]["entry_id"] == LISTED[0][0]
    assert body["counts"] == {
        "total": 4,
        "in_custody": 3,
        "in_hospital": 1,
        "released": 0,
        "handed_over": 0,
        "wounded": 1,
        "possible_matches": 1,
        "reconciled": True,
    }
    read = group(api, group_id).json()
    assert read["counts"] == body["counts"]
    assert read["crossing"] == crossing_code and read["category"] == "surrendering_military"
    colonel = next(p for p in read["persons"]["items"] if p["rank"] == "Colonel")
    assert colonel["items_surrendered"] == [
        {"kind": "other", "description": "pistol", "quantity": 1},
        {"kind": "vehicle", "description": "T-72 tank", "quantity": 1},
    ]
    assert colonel["document"]["document_number"] == "N0012345"
    assert colonel["screening"]["status"] == "possible_match"
    listed = api.get(f"/crossings/{crossing_code}/group-arrivals", SEC).json()
    assert [g["id"] for g in listed] == [group_id]


def test_handover_person_by_person_once_only_with_counts_reconciled(api: Api, crossing_code: str):
    group_id = new_group(api, crossing_code)
    ids = register(api, group_id, people(6, seed=2)).json()["person_ids"]
    first = api.post(
        f"/group-arrivals/{group_id}/handovers",
        SEC,
        {
            "person_ids": ids[:4],
            "to": "Syrian authorities at Albu Kamal",
            "handed_over_at": "2024-12-19T09:00:00Z",
        },
    )
    assert first.status_code == 201, first.text
    assert first.json()["handed_over"] == 4
    assert first.json()["counts"]["handed_over"] == 4
    assert first.json()["counts"]["in_custody"] == 2
    assert first.json()["counts"]["reconciled"] is True

    twice = api.post(
        f"/group-arrivals/{group_id}/handovers",
        SEC,
        {"person_ids": [ids[4], ids[0]], "to": "Again", "handed_over_at": "2024-12-20T09:00:00Z"},
    )
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("/already-handed-over")
    assert twice.json()["person_ids"] == [ids[0]]
    after = group(api, group_id).json()
    assert after["counts"]["handed_over"] == 4 and after["counts"]["in_custody"] == 2, (
        "nothing of the refused handover was recorded, not even the person who was free"
    )
    assert len(after["handovers"]) == 1 and after["handovers"][0]["persons"] == 4
    handed = group(api, group_id, custody_status="handed_over").json()["persons"]["items"]
    assert sorted(p["id"] for p in handed) == sorted(ids[:4])
    assert {p["handover_id"] for p in handed} == {first.json()["handover_id"]}


def test_custody_changes_and_a_released_person_cannot_be_handed_over(api: Api, crossing_code: str):
    group_id = new_group(api, crossing_code)
    ids = register(api, group_id, people(3, seed=3)).json()["person_ids"]
    moved = api.post(
        f"/group-arrivals/{group_id}/custody-changes",
        S,
        {"person_ids": [ids[0]], "status": "in_hospital", "changed_at": "2024-12-08T10:00:00Z"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["in_hospital"] == 1
    released = api.post(
        f"/group-arrivals/{group_id}/custody-changes",
        S,
        {"person_ids": [ids[1]], "status": "released", "changed_at": "2024-12-08T10:00:00Z"},
    )
    assert released.json()["released"] == 1
    refused = api.post(
        f"/group-arrivals/{group_id}/handovers",
        SEC,
        {"person_ids": ids, "to": "X", "handed_over_at": "2024-12-19T09:00:00Z"},
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/custody-transition")
    counts = group(api, group_id).json()["counts"]
    assert (counts["in_custody"], counts["in_hospital"], counts["released"]) == (1, 1, 1)
    assert counts["handed_over"] == 0 and counts["reconciled"] is True
    # a hospital patient can be handed over
    ok = api.post(
        f"/group-arrivals/{group_id}/handovers",
        SEC,
        {"person_ids": [ids[0], ids[2]], "to": "X", "handed_over_at": "2024-12-19T09:00:00Z"},
    )
    assert ok.status_code == 201, ok.text


def test_unknown_persons_and_bad_handovers_are_422(api: Api, crossing_code: str):
    group_id = new_group(api, crossing_code)
    other = new_group(api, crossing_code)
    ids = register(api, group_id, people(2, seed=4)).json()["person_ids"]
    foreign = register(api, other, people(1, seed=5)).json()["person_ids"]
    for body, field in [
        ({"person_ids": [ids[0], foreign[0]]}, "person_ids"),
        ({"person_ids": [ids[0], ids[0]]}, "person_ids"),
        ({"person_ids": []}, "person_ids"),
        ({"person_ids": ids, "handed_over_at": "2024-12-19T09:00:00"}, "handed_over_at"),
        ({"person_ids": ids, "handed_over_at": "2024-12-01T09:00:00Z"}, "handed_over_at"),
        ({"person_ids": ids, "to": ""}, "to"),
    ]:
        full = {"to": "X", "handed_over_at": "2024-12-19T09:00:00Z"} | body
        response = api.post(f"/group-arrivals/{group_id}/handovers", SEC, full)
        assert response.status_code == 422, (body, response.text)
        assert field in [e["field"] for e in response.json()["errors"]], body
    assert group(api, group_id).json()["counts"]["handed_over"] == 0
    missing = api.post(
        "/group-arrivals/nope/handovers",
        SEC,
        {"person_ids": ["a"], "to": "X", "handed_over_at": "2024-12-19T09:00:00Z"},
    )
    assert missing.status_code == 404


def test_empty_and_oversized_batches_are_422_and_register_nothing(api: Api, crossing_code: str):
    group_id = new_group(api, crossing_code)
    empty = register(api, group_id, [])
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "persons"
    too_many = register(api, group_id, [{"surname": "X"}] * 5001)
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "persons"
    one_bad = register(api, group_id, [*people(3), {"surname": "Y", "birth_date": "2024-02-30"}])
    assert one_bad.status_code == 422
    assert one_bad.json()["errors"][0]["field"] == "persons[3].birth_date"
    bad_nationality = register(api, group_id, [{"surname": "Y", "nationality": "UTO"}])
    assert bad_nationality.json()["errors"][0]["field"] == "persons[0].nationality"
    assert group(api, group_id).json()["counts"]["total"] == 0


def test_a_batch_of_1500_in_one_call(api: Api, crossing_code: str):
    group_id = new_group(api, crossing_code)
    response = register(api, group_id, people(1500, seed=6))
    assert response.status_code == 201, response.text
    assert response.json()["registered"] == 1500
    counts = group(api, group_id, limit=500).json()
    assert counts["counts"]["total"] == 1500 and counts["counts"]["reconciled"] is True
    assert len(counts["persons"]["items"]) == 500 and counts["persons"]["next_cursor"]
    page2 = group(api, group_id, limit=500, cursor=counts["persons"]["next_cursor"]).json()
    first_ids = {p["id"] for p in counts["persons"]["items"]}
    assert first_ids.isdisjoint(p["id"] for p in page2["persons"]["items"])


def test_the_largest_batch_is_5000_persons_in_one_call(api: Api, crossing_code: str):
    """5,000 persons, the most one call takes, are registered together; one more is a 422 that
    names the field and registers nobody."""
    group_id = new_group(api, crossing_code)
    batch = people(5001, seed=8)
    too_many = register(api, group_id, batch)
    assert too_many.status_code == 422, too_many.text
    [error] = too_many.json()["errors"]
    assert error["field"] == "persons" and "5000" in error["message"], error
    response = register(api, group_id, batch[:5000])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["registered"] == 5000 and len(set(body["person_ids"])) == 5000
    counts = body["counts"]
    assert counts["total"] == counts["in_custody"] == 5000 and counts["reconciled"] is True


# --- CSV upload -------------------------------------------------------------------------------


def upload(api: Api, group_id: str, text: str, role: Role = SEC):
    return api.http.post(
        f"/group-arrivals/{group_id}/persons/upload",
        headers=api.headers(role),
        files={"file": ("persons.csv", text.encode())},
    )


CSV = (
    "\ufeffsurname,given_names,birth_date,nationality,rank,unit,wounded,items_surrendered\n"
    "Haddad,Samer,1990-01-01,SYR,Sergeant,4th Bde,no,weapon:AK-47 rifle;ammunition:magazines:4\n"
    "Khalil,Nabil,,SYR,Private,4th Brigade,yes,\n"
)


def test_csv_upload(api: Api, crossing_code: str):
    group_id = new_group(api, crossing_code)
    response = upload(api, group_id, CSV)
    assert response.status_code == 201, response.text
    assert response.json()["registered"] == 2
    persons = group(api, group_id).json()["persons"]["items"]
    haddad = next(p for p in persons if p["surname"] == "Haddad")
    assert haddad["items_surrendered"] == [
        {"kind": "weapon", "description": "AK-47 rifle", "quantity": 1},
        {"kind": "ammunition", "description": "magazines", "quantity": 4},
    ]
    assert next(p for p in persons if p["surname"] == "Khalil")["wounded"] is True
    assert upload(api, group_id, CSV, Role.IMMIGRATION).status_code == 403


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("", "file"),
        ("surname,shoe_size\nX,42\n", "file"),
        ("surname,given_names\n", "persons"),
        ("surname,birth_date\nA,1990-01-01\nB,991340\n", "persons[1].birth_date"),
        ("surname,wounded\nA,maybe\n", "persons[0].wounded"),
        ("surname,items_surrendered\nA,rifle\n", "persons[0].items_surrendered"),
        (
            "surname,items_surrendered\nA,tank:T-72:many\n",
            "persons[0].items_surrendered[0].quantity",
        ),
        ("surname,nationality\nA,XYZ\n", "persons[0].nationality"),
    ],
)
def test_bad_csv_is_422_naming_the_row_and_registers_nothing(
    api: Api, crossing_code: str, text: str, field: str
):
    group_id = new_group(api, crossing_code)
    response = upload(api, group_id, text)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert group(api, group_id).json()["counts"]["total"] == 0
