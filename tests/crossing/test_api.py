"""The crossings section of api-v1.md, over HTTP against a live server, on both engines."""

from __future__ import annotations

import uuid

import pytest

from borderpost.auth.permissions import Role
from tests.conftest import Api, unique_code

S, L = Role.SUPERVISOR, Role.LIAISON
REASON = "Clashes near the border."


def close(api: Api, code: str, *, category: str = "security", traffic=("cargo", "passenger")):
    return api.post(
        f"/crossings/{code}/status-changes",
        S,
        {
            "traffic": list(traffic),
            "state": "closed",
            "reason_category": category,
            "reason": REASON,
        },
    )


def assessment(api: Api, code: str, *, recommendation="reopen", traffic=("cargo", "passenger")):
    response = api.post(
        f"/crossings/{code}/assessments",
        S,
        {
            "title": "Joint assessment",
            "findings": "Stable on both sides.",
            "recommendation": recommendation,
            "traffic": list(traffic),
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def signature(country: str, decision: str = "concur") -> dict:
    return {
        "country": country,
        "official_name": "An Official",
        "official_role": "Director",
        "decision": decision,
    }


def reopen(api: Api, code: str, assessment_id: str | None, traffic=("cargo", "passenger")):
    body = {"traffic": list(traffic), "state": "open", "reason": "Joint assessment concluded."}
    if assessment_id:
        body["assessment_id"] = assessment_id
    return api.post(f"/crossings/{code}/status-changes", S, body)


def test_new_crossing_starts_open_for_both_classes(api: Api, crossing_code: str):
    body = api.get(f"/crossings/{crossing_code}", Role.CUSTOMS).json()
    assert body["status"]["cargo"]["state"] == "open"
    assert body["status"]["passenger"]["state"] == "open"
    assert body["country"] == "IRQ" and body["neighbour_country"] == "SYR"
    listed = api.get("/crossings", Role.ANALYST).json()
    assert crossing_code in [c["code"] for c in listed]


def test_duplicate_crossing_code_is_409(api: Api, crossing_code: str):
    response = api.post(
        "/crossings",
        Role.ADMIN,
        {
            "code": crossing_code,
            "name": "Again",
            "country": "IRQ",
            "neighbour_country": "SYR",
            "counterpart_name": "X",
            "timezone": "Asia/Baghdad",
        },
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/crossing-exists")


def test_unknown_crossing_is_404_problem(api: Api):
    response = api.get("/crossings/IQ-NOWHERE", Role.ANALYST)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_security_closure_and_reopening_with_the_joint_assessment(api: Api, crossing_code: str):
    code = crossing_code
    closed = close(api, code)
    assert closed.status_code == 201, closed.text
    assert closed.json()["previous"] == {"cargo": "open", "passenger": "open"}
    status = api.get(f"/crossings/{code}", Role.ANALYST).json()["status"]
    assert status["cargo"]["state"] == "closed"
    assert status["cargo"]["reason_category"] == "security"

    refused = reopen(api, code, None)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/assessment-required")

    a = assessment(api, code)
    assert a["state"] == "open" and a["signatures"] == []
    early = reopen(api, code, a["id"])
    assert early.status_code == 409 and early.json()["type"].endswith("/assessment-required")

    first = api.post(f"/assessments/{a['id']}/signatures", S, signature("IRQ"))
    assert first.status_code == 201, first.text
    assert first.json()["state"] == "open"
    assert reopen(api, code, a["id"]).status_code == 409

    second = api.post(f"/assessments/{a['id']}/signatures", L, signature("SYR"))
    assert second.status_code == 201, second.text
    assert second.json()["state"] == "concluded"
    assert {s["country"] for s in second.json()["signatures"]} == {"IRQ", "SYR"}

    opened = reopen(api, code, a["id"])
    assert opened.status_code == 201, opened.text
    status = api.get(f"/crossings/{code}", Role.ANALYST).json()["status"]
    assert status["cargo"]["state"] == "open" and status["passenger"]["state"] == "open"

    history = api.get(f"/crossings/{code}/status-changes", Role.ANALYST).json()
    assert [c["state"] for c in history["items"]] == ["open", "closed"]  # newest first
    assert history["items"][0]["assessment_id"] == a["id"]


def test_assessment_of_another_crossing_does_not_reopen(api: Api, crossing_code: str):
    other = unique_code()
    api.post(
        "/crossings",
        Role.ADMIN,
        {
            "code": other,
            "name": "Other",
            "country": "IRQ",
            "neighbour_country": "SYR",
            "counterpart_name": "X",
            "timezone": "Asia/Baghdad",
        },
    )
    a = assessment(api, other)
    api.post(f"/assessments/{a['id']}/signatures", S, signature("IRQ"))
    api.post(f"/assessments/{a['id']}/signatures", L, signature("SYR"))
    close(api, crossing_code)
    response = reopen(api, crossing_code, a["id"])
    assert response.status_code == 409
    assert "another crossing" in response.json()["detail"]


def test_assessment_covering_passengers_only_reopens_passengers_only(api: Api, crossing_code: str):
    close(api, crossing_code)
    a = assessment(api, crossing_code, traffic=("passenger",))
    api.post(f"/assessments/{a['id']}/signatures", S, signature("IRQ"))
    api.post(f"/assessments/{a['id']}/signatures", L, signature("SYR"))
    both = reopen(api, crossing_code, a["id"])
    assert both.status_code == 409
    status = api.get(f"/crossings/{crossing_code}", Role.ANALYST).json()["status"]
    assert status["passenger"]["state"] == "closed", (
        "nothing recorded for any class of a refused request"
    )
    assert reopen(api, crossing_code, a["id"], traffic=("passenger",)).status_code == 201


def test_dissent_disputes_the_assessment(api: Api, crossing_code: str):
    close(api, crossing_code)
    a = assessment(api, crossing_code)
    api.post(f"/assessments/{a['id']}/signatures", S, signature("IRQ"))
    disputed = api.post(f"/assessments/{a['id']}/signatures", L, signature("SYR", "dissent"))
    assert disputed.json()["state"] == "disputed"
    assert reopen(api, crossing_code, a["id"]).status_code == 409
    assert api.get(f"/assessments/{a['id']}", Role.AUDITOR).json()["state"] == "disputed"


def test_liaison_cannot_sign_for_the_other_state_and_second_signature_refused(
    api: Api, crossing_code: str
):
    a = assessment(api, crossing_code)
    wrong = api.post(f"/assessments/{a['id']}/signatures", L, signature("IRQ"))
    assert wrong.status_code == 403
    assert wrong.json()["type"].endswith("/wrong-country")
    assert api.post(f"/assessments/{a['id']}/signatures", L, signature("SYR")).status_code == 201
    again = api.post(f"/assessments/{a['id']}/signatures", L, signature("SYR", "dissent"))
    assert again.status_code == 409
    assert again.json()["type"].endswith("/already-signed")
    body = api.get(f"/assessments/{a['id']}", Role.ANALYST).json()
    assert [s["decision"] for s in body["signatures"]] == ["concur"], "the first signature stands"


def test_no_change_is_409_and_records_nothing(api: Api, crossing_code: str):
    response = api.post(
        f"/crossings/{crossing_code}/status-changes",
        S,
        {
            "traffic": ["cargo"],
            "state": "open",
            "reason": "Already open.",
        },
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/no-change")
    assert api.get(f"/crossings/{crossing_code}/status-changes", S).json()["items"] == []


def test_non_security_closure_reopens_without_assessment(api: Api, crossing_code: str):
    assert close(api, crossing_code, category="weather", traffic=("cargo",)).status_code == 201
    assert reopen(api, crossing_code, None, traffic=("cargo",)).status_code == 201


def test_statements_and_incidents(api: Api, crossing_code: str):
    statement = api.post(
        f"/crossings/{crossing_code}/statements",
        S,
        {
            "text_en": "Open to cargo.",
            "text_ar": "مفتوح للشاحنات.",
        },
    )
    assert statement.status_code == 201
    assert statement.json()["text_ar"] == "مفتوح للشاحنات."
    incident = api.post(
        f"/crossings/{crossing_code}/incidents",
        Role.SECURITY,
        {
            "kind": "patrol",
            "severity": 2,
            "occurred_at": "2025-01-17T22:40:00Z",
            "description": "Joint patrol.",
        },
    )
    assert incident.status_code == 201, incident.text
    listed = api.get(f"/crossings/{crossing_code}/incidents", Role.CUSTOMS).json()
    assert [i["kind"] for i in listed["items"]] == ["patrol"]
    assert listed["items"][0]["occurred_at"] == "2025-01-17T22:40:00Z"


def test_incident_list_pages_with_a_cursor(api: Api, crossing_code: str):
    for n in range(5):
        api.post(
            f"/crossings/{crossing_code}/incidents",
            Role.SECURITY,
            {
                "kind": f"k{n}",
                "severity": 1,
                "occurred_at": "2025-01-01T00:00:00Z",
                "description": "x",
            },
        )
    first = api.get(f"/crossings/{crossing_code}/incidents?limit=2", Role.ANALYST).json()
    assert [i["kind"] for i in first["items"]] == ["k4", "k3"]
    second = api.get(
        f"/crossings/{crossing_code}/incidents?limit=2&cursor={first['next_cursor']}", Role.ANALYST
    ).json()
    assert [i["kind"] for i in second["items"]] == ["k2", "k1"]
    last = api.get(
        f"/crossings/{crossing_code}/incidents?limit=2&cursor={second['next_cursor']}", Role.ANALYST
    ).json()
    assert [i["kind"] for i in last["items"]] == ["k0"] and last["next_cursor"] is None


def test_public_endpoints_need_no_token_and_show_the_latest_statement(api: Api, crossing_code: str):
    close(api, crossing_code, category="maintenance", traffic=("cargo",))
    api.post(
        f"/crossings/{crossing_code}/statements", S, {"text_en": "First.", "text_ar": "الأول."}
    )
    api.post(
        f"/crossings/{crossing_code}/statements", S, {"text_en": "Second.", "text_ar": "الثاني."}
    )
    response = api.get(f"/public/crossings/{crossing_code}", None)
    assert response.status_code == 200
    body = response.json()
    assert body["status"]["cargo"]["state"] == "closed"
    assert body["status"]["passenger"]["state"] == "open"
    assert body["statement"]["text_en"] == "Second."
    assert "reason" not in body["status"]["cargo"], "the public sees states, not internal reasons"
    assert set(body["waits"]) == {"cargo_minutes", "passenger_minutes"}
    assert crossing_code in [c["code"] for c in api.get("/public/crossings", None).json()]


# --- authentication and roles ---------------------------------------------------------------


def test_no_token_is_401_and_wrong_role_is_403(api: Api, crossing_code: str):
    no_token = api.get(f"/crossings/{crossing_code}", None)
    assert no_token.status_code == 401
    assert no_token.headers["content-type"].startswith("application/problem+json")
    bad_token = api.http.get(
        f"/crossings/{crossing_code}", headers={"Authorization": "Bearer nope"}
    )
    assert bad_token.status_code == 401
    wrong_role = (
        close(api, crossing_code)
        if False
        else api.post(
            f"/crossings/{crossing_code}/status-changes",
            Role.CUSTOMS,
            {
                "traffic": ["cargo"],
                "state": "closed",
                "reason_category": "security",
                "reason": REASON,
            },
        )
    )
    assert wrong_role.status_code == 403
    assert (
        api.get(f"/crossings/{crossing_code}", Role.ANALYST).json()["status"]["cargo"]["state"]
        == "open"
    )


def test_wrong_password_is_401(api: Api):
    response = api.http.post(
        "/auth/token", data={"username": "admin", "password": "wrong-password"}
    )
    assert response.status_code == 401
    assert response.json()["type"].endswith("/unauthorized")


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"country": "XYZ"}, "country"),
        ({"neighbour_country": "IRQ"}, "neighbour_country"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"code": "not a code"}, "code"),
        ({"extra": 1}, "extra"),
    ],
)
def test_invalid_crossing_is_422_naming_the_field_and_stores_nothing(api: Api, patch, field):
    code = unique_code()
    body = {
        "code": code,
        "name": "N",
        "country": "IRQ",
        "neighbour_country": "SYR",
        "counterpart_name": "C",
        "timezone": "Asia/Baghdad",
    } | patch
    response = api.post("/crossings", Role.ADMIN, body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["type"].endswith("/invalid-input")
    assert field in [e["field"] for e in problem["errors"]]
    assert api.get(f"/crossings/{code}", Role.ANALYST).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {
                "traffic": ["trains"],
                "state": "closed",
                "reason_category": "security",
                "reason": "r",
            },
            "traffic[0]",
        ),
        (
            {"traffic": [], "state": "closed", "reason_category": "security", "reason": "r"},
            "traffic",
        ),
        (
            {
                "traffic": ["cargo", "cargo"],
                "state": "closed",
                "reason_category": "security",
                "reason": "r",
            },
            "traffic",
        ),
        (
            {
                "traffic": ["cargo"],
                "state": "half-open",
                "reason_category": "security",
                "reason": "r",
            },
            "state",
        ),
        (
            {"traffic": ["cargo"], "state": "closed", "reason_category": "aliens", "reason": "r"},
            "reason_category",
        ),
        ({"traffic": ["cargo"], "state": "closed", "reason": "r"}, "reason_category"),
        (
            {"traffic": ["cargo"], "state": "closed", "reason_category": "security", "reason": ""},
            "reason",
        ),
        (
            {
                "traffic": ["cargo"],
                "state": "closed",
                "reason_category": "security",
                "reason": "r" * 5001,
            },
            "reason",
        ),
    ],
)
def test_invalid_status_change_is_422_and_changes_nothing(
    api: Api, crossing_code: str, body, field
):
    response = api.post(f"/crossings/{crossing_code}/status-changes", S, body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    status = api.get(f"/crossings/{crossing_code}", S).json()["status"]
    assert status["cargo"]["state"] == "open"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"kind": "k", "severity": 6, "occurred_at": "2025-01-01T00:00:00Z", "description": "d"},
            "severity",
        ),
        (
            {"kind": "k", "severity": 0, "occurred_at": "2025-01-01T00:00:00Z", "description": "d"},
            "severity",
        ),
        (
            {"kind": "k", "severity": 2, "occurred_at": "2025-01-01T00:00:00", "description": "d"},
            "occurred_at",
        ),
        (
            {"kind": "k", "severity": 2, "occurred_at": "yesterday", "description": "d"},
            "occurred_at",
        ),
        (
            {"kind": "", "severity": 2, "occurred_at": "2025-01-01T00:00:00Z", "description": "d"},
            "kind",
        ),
    ],
)
def test_invalid_incident_is_422(api: Api, crossing_code: str, body, field):
    response = api.post(f"/crossings/{crossing_code}/incidents", Role.SECURITY, body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert api.get(f"/crossings/{crossing_code}/incidents", S).json()["items"] == []


def test_invalid_signature_country_and_decision(api: Api, crossing_code: str):
    a = assessment(api, crossing_code)
    unknown = api.post(f"/assessments/{a['id']}/signatures", L, signature("ZZZ"))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "country"
    third_state = api.post(f"/assessments/{a['id']}/signatures", L, signature("JOR"))
    assert third_state.status_code == 422 and third_state.json()["errors"][0]["field"] == "country"
    bad = api.post(f"/assessments/{a['id']}/signatures", L, signature("SYR", "maybe"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "decision"
    assert api.get(f"/assessments/{a['id']}", S).json()["signatures"] == []


def test_malformed_json_and_wrong_content_type_are_4xx_problems(api: Api, crossing_code: str):
    headers = api.headers(S) | {"Content-Type": "application/json"}
    broken = api.http.post(
        f"/crossings/{crossing_code}/statements", content=b'{"text_en": ', headers=headers
    )
    assert broken.status_code == 422
    assert broken.headers["content-type"].startswith("application/problem+json")
    headers["Content-Type"] = "text/plain"
    plain = api.http.post(
        f"/crossings/{crossing_code}/statements",
        content=b'{"text_en": "a", "text_ar": "b"}',
        headers=headers,
    )
    assert 400 <= plain.status_code < 500
    assert plain.headers["content-type"].startswith("application/problem+json")
    assert api.get(f"/public/crossings/{crossing_code}", None).json()["statement"] is None


def test_unknown_assessment_id_in_status_change_is_422(api: Api, crossing_code: str):
    close(api, crossing_code)
    response = reopen(api, crossing_code, "does-not-exist")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "assessment_id"


# --- idempotency ------------------------------------------------------------------------------


def test_idempotent_retry_returns_the_first_response_and_stores_once(api: Api, crossing_code: str):
    key = str(uuid.uuid4())
    body = {
        "kind": "patrol",
        "severity": 1,
        "occurred_at": "2025-02-01T00:00:00Z",
        "description": "d",
    }
    first = api.post(f"/crossings/{crossing_code}/incidents", Role.SECURITY, body, key=key)
    again = api.post(f"/crossings/{crossing_code}/incidents", Role.SECURITY, body, key=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("idempotent-replayed") == "true"
    items = api.get(f"/crossings/{crossing_code}/incidents", S).json()["items"]
    assert len(items) == 1

    other = api.post(
        f"/crossings/{crossing_code}/incidents", Role.SECURITY, body | {"severity": 2}, key=key
    )
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-mismatch")
    assert len(api.get(f"/crossings/{crossing_code}/incidents", S).json()["items"]) == 1


def test_failed_request_frees_its_key(api: Api, crossing_code: str):
    key = str(uuid.uuid4())
    body = {"traffic": ["cargo"], "state": "open", "reason": "r"}
    assert (
        api.post(f"/crossings/{crossing_code}/status-changes", S, body, key=key).status_code == 409
    )
    close(api, crossing_code, category="weather", traffic=("cargo",))
    retried = api.post(f"/crossings/{crossing_code}/status-changes", S, body, key=key)
    assert retried.status_code == 201, "a refused request recorded nothing, so its key runs again"


@pytest.mark.parametrize("path", ["/crossings/IQ-%00X", "/public/crossings/%00"])
def test_a_nul_character_in_the_path_is_422_not_a_server_error(api: Api, path: str):
    response = api.get(path, Role.ANALYST)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_nul_character_in_a_body_names_the_field(api: Api, crossing_code: str):
    response = api.post(
        f"/crossings/{crossing_code}/statements", S, {"text_en": "a\u0000b", "text_ar": "ب"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "text_en"
