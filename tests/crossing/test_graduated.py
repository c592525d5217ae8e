"""Graduated status (api-v1.md, second wave): per class and direction, restricted to categories
and nationalities, enforced on movements and truck arrivals, shown to the public."""

from __future__ import annotations

from typing import Any

import pytest

from borderpost.auth.permissions import Role
from tests.cargo.factories import arrival
from tests.conftest import Api
from tests.traveller.passengers import passport

S = Role.SUPERVISOR


def status_change(api: Api, code: str, **body: Any):
    body = {"reason": "Graduated reopening.", **body}
    return api.post(f"/crossings/{code}/status-changes", S, body)


def changed(api: Api, code: str, **body: Any) -> dict:
    response = status_change(api, code, **body)
    assert response.status_code == 201, response.text
    return response.json()


def move(api: Api, code: str, direction: str, nationality: str = "SYR", **extra: Any):
    mrz, _, _ = passport(nationality=nationality)
    body = {"direction": direction, "mrz": mrz, "travel_mode": "foot", **extra}
    return api.post(f"/crossings/{code}/movements", Role.IMMIGRATION, body)


def truck(api: Api, code: str, **extra: Any):
    return api.post(f"/crossings/{code}/trucks", Role.CUSTOMS, arrival(**extra))


def problem_of(response) -> str:
    assert response.status_code == 409, response.text
    return response.json()["type"].rsplit("/", 1)[1]


def test_voluntary_returns_of_syrians_pass_a_restricted_exit(api: Api, crossing_code: str):
    """Al-Qaim, 2025: closed to regular traffic, open to Syrians returning voluntarily."""
    code = crossing_code
    change = changed(
        api,
        code,
        traffic=["passenger"],
        directions=["exit"],
        state="restricted",
        reason_category="security",
        allowed={"categories": ["voluntary_return"], "nationalities": ["SYR"]},
    )
    assert change["directions"] == ["exit"]
    assert change["previous_directions"] == {"passenger": {"exit": "open"}}
    assert change["allowed"] == {"categories": ["voluntary_return"], "nationalities": ["SYR"]}

    passenger = api.get(f"/crossings/{code}", Role.ANALYST).json()["status"]["passenger"]
    assert passenger["state"] == "open"  # v1's fields: the most open direction (entry)
    assert passenger["directions"]["entry"]["state"] == "open"
    exit_ = passenger["directions"]["exit"]
    assert exit_["state"] == "restricted" and exit_["reason_category"] == "security"
    assert exit_["allowed"] == {"categories": ["voluntary_return"], "nationalities": ["SYR"]}

    assert problem_of(move(api, code, "exit")) == "category-not-allowed"  # regular by default
    assert problem_of(move(api, code, "exit", "IRQ", category="voluntary_return")) == (
        "category-not-allowed"
    )
    allowed = move(api, code, "exit", category="voluntary_return")
    assert allowed.status_code == 201, allowed.text
    assert move(api, code, "entry").status_code == 201  # the other direction is open


def test_cargo_closed_inbound_only_and_restricted_to_humanitarian_aid(api: Api, crossing_code):
    code = crossing_code
    changed(
        api,
        code,
        traffic=["cargo"],
        directions=["inbound"],  # cargo's word for entry
        state="closed",
        reason_category="maintenance",
    )
    cargo = api.get(f"/crossings/{code}", Role.ANALYST).json()["status"]["cargo"]
    assert cargo["directions"]["entry"]["state"] == "closed"
    assert cargo["state"] == "open" and cargo["directions"]["exit"]["state"] == "open"
    assert problem_of(truck(api, code)) == "crossing-closed"
    assert problem_of(truck(api, code, category="humanitarian")) == "crossing-closed"

    changed(
        api,
        code,
        traffic=["cargo"],
        directions=["entry"],
        state="restricted",
        reason_category="maintenance",
        allowed={"categories": ["humanitarian", "perishables"]},
    )
    assert problem_of(truck(api, code)) == "category-not-allowed"
    aid = truck(api, code, category="humanitarian")
    assert aid.status_code == 201, aid.text  # any registration country: no nationality listed


def test_a_restriction_without_a_list_lets_every_category_pass(api: Api, crossing_code: str):
    """v1's `restricted` limited nothing by itself: it still does not."""
    changed(api, crossing_code, traffic=["passenger"], state="restricted", reason_category="health")
    assert move(api, crossing_code, "entry").status_code == 201


def test_changing_what_a_restriction_allows_is_a_change_and_the_same_list_is_not(
    api: Api, crossing_code: str
):
    code = crossing_code
    body = {"traffic": ["cargo"], "state": "restricted", "reason_category": "security"}
    changed(api, code, **body, allowed={"categories": ["humanitarian"]})
    wider = changed(api, code, **body, allowed={"categories": ["humanitarian", "perishables"]})
    assert wider["previous_directions"] == {"cargo": {"entry": "restricted", "exit": "restricted"}}
    again = status_change(
        api, code, **body, allowed={"categories": ["perishables", "humanitarian"]}
    )
    assert problem_of(again) == "no-change"


def test_a_security_closure_of_one_direction_reopens_only_on_a_joint_assessment(
    api: Api, crossing_code: str
):
    code = crossing_code
    closure = {"traffic": ["passenger"], "directions": ["entry"], "reason_category": "security"}
    changed(api, code, state="closed", **closure)
    assert problem_of(move(api, code, "entry")) == "crossing-closed"
    refused = status_change(api, code, traffic=["passenger"], directions=["entry"], state="open")
    assert problem_of(refused) == "assessment-required"
    # both directions: the exit is open already, and a change to the same state is no change
    both = status_change(api, code, traffic=["passenger"], state="open")
    assert problem_of(both) == "no-change"
    # the exit alone may change: it was never closed for security
    changed(
        api,
        code,
        traffic=["passenger"],
        directions=["exit"],
        state="restricted",
        reason_category="weather",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"state": "closed", "reason_category": "security", "allowed": {"categories": []}},
            "allowed",
        ),
        (
            {"state": "restricted", "reason_category": "security", "directions": ["up"]},
            "directions[0]",
        ),
        ({"state": "restricted", "reason_category": "security", "directions": []}, "directions"),
        (
            {
                "state": "restricted",
                "reason_category": "security",
                "directions": ["entry", "inbound"],
            },
            "directions",
        ),
        (
            {
                "state": "restricted",
                "reason_category": "security",
                "allowed": {"categories": ["tourists"]},
            },
            "allowed.categories[0]",
        ),
        (
            {
                "state": "restricted",
                "reason_category": "security",
                "allowed": {"nationalities": ["Syria"]},
            },
            "allowed.nationalities[0]",
        ),
    ],
)
def test_invalid_graduated_status_is_422_naming_the_field(api: Api, crossing_code, body, field):
    response = status_change(api, crossing_code, traffic=["cargo"], **body)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
    status = api.get(f"/crossings/{crossing_code}", Role.ANALYST).json()["status"]
    assert status["cargo"]["directions"]["entry"]["state"] == "open"


def test_unknown_category_of_a_movement_is_422(api: Api, crossing_code: str):
    response = move(api, crossing_code, "entry", category="tourism")
    assert response.status_code == 422, response.text
    assert "category" in {e["field"] for e in response.json()["errors"]}


def test_the_public_sees_what_is_allowed_in_both_languages(api: Api, crossing_code: str):
    code = crossing_code
    changed(
        api,
        code,
        traffic=["passenger"],
        directions=["exit"],
        state="restricted",
        reason_category="security",
        allowed={"categories": ["voluntary_return"], "nationalities": ["SYR"]},
    )
    public = api.get(f"/public/crossings/{code}", None).json()["status"]["passenger"]
    assert public["state"] == "open"
    exit_ = public["directions"]["exit"]
    assert exit_["state"] == "restricted"
    assert exit_["allowed"] == {"categories": ["voluntary_return"], "nationalities": ["SYR"]}
    assert exit_["summary_en"] == "Only: Voluntary return; Nationalities: Syria"
    assert "عودة طوعية" in exit_["summary_ar"] and "سوريا" in exit_["summary_ar"]
    page = api.http.get(api.server.url + "/", params={"lang": "ar"}).text
    assert "عودة طوعية" in page
