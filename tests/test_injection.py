"""Hostile text in every field a page shows back: stored as given, shown escaped, never run.

Every query is parameterised (SQLAlchemy binds every value) and every template autoescapes; these
tests hold both to it with SQL, script and template payloads.
"""

from __future__ import annotations

import pytest

from borderpost.auth.permissions import Role
from tests.conftest import Api, unique_code
from tests.web.conftest import Browserless

PAYLOADS = [
    "'; DROP TABLE crossing; --",
    "<script>alert('x')</script>",
    '" onmouseover="alert(1)" x="',
    "{{ 7*7 }} {% raw %}",
    "Robert'); DELETE FROM audit_record WHERE ('1'='1",
]
ESCAPED_SCRIPT = "&lt;script&gt;alert("


@pytest.fixture
def hostile_crossing(api: Api) -> str:
    code = unique_code()
    created = api.post(
        "/crossings",
        Role.ADMIN,
        {
            "code": code,
            "name": PAYLOADS[1],
            "country": "IRQ",
            "neighbour_country": "SYR",
            "counterpart_name": PAYLOADS[0],
            "timezone": "Asia/Baghdad",
        },
    )
    assert created.status_code == 201
    return code


def test_hostile_text_is_stored_exactly_and_breaks_nothing(api: Api, hostile_crossing: str):
    code = hostile_crossing
    for payload in PAYLOADS:
        statement = api.post(
            f"/crossings/{code}/statements",
            Role.SUPERVISOR,
            {"text_en": payload, "text_ar": payload},
        )
        assert statement.status_code == 201
        assert statement.json()["text_en"] == payload
        incident = api.post(
            f"/crossings/{code}/incidents",
            Role.SECURITY,
            {
                "kind": payload,
                "severity": 2,
                "occurred_at": "2025-01-01T00:00:00Z",
                "description": payload,
            },
        )
        assert incident.status_code == 201
        searched = api.post(
            "/screening/search", Role.IMMIGRATION, {"name": payload + " Ali Hassan"}
        )
        assert searched.status_code in (200, 422)
    crossing = api.get(f"/crossings/{code}", Role.ANALYST).json()
    assert crossing["name"] == PAYLOADS[1] and crossing["counterpart_name"] == PAYLOADS[0]
    kinds = [
        i["kind"] for i in api.get(f"/crossings/{code}/incidents", Role.ANALYST).json()["items"]
    ]
    assert sorted(kinds) == sorted(PAYLOADS)
    assert api.get("/audit/verify", Role.AUDITOR).json()["ok"] is True


def assert_escaped(html: str) -> None:
    assert "<script>alert(" not in html, "a payload became a script element"
    assert ESCAPED_SCRIPT in html or "&lt;script&gt;" in html
    assert 'onmouseover="alert(1)"' not in html, "a payload broke out of an attribute"


def test_pages_show_hostile_text_escaped(api: Api, hostile_crossing: str):
    code = hostile_crossing
    api.post(
        f"/crossings/{code}/statements",
        Role.SUPERVISOR,
        {"text_en": PAYLOADS[1] + PAYLOADS[2] + PAYLOADS[3], "text_ar": PAYLOADS[1]},
    )
    api.post(
        f"/crossings/{code}/incidents",
        Role.SECURITY,
        {
            "kind": "patrol",
            "severity": 2,
            "occurred_at": "2025-01-01T00:00:00Z",
            "description": PAYLOADS[1] + PAYLOADS[2],
        },
    )
    api.post(
        f"/crossings/{code}/assessments",
        Role.SUPERVISOR,
        {
            "title": PAYLOADS[1],
            "findings": PAYLOADS[2],
            "recommendation": "reopen",
            "traffic": ["cargo"],
        },
    )
    api.post(
        f"/crossings/{code}/status-changes",
        Role.SUPERVISOR,
        {
            "traffic": ["cargo"],
            "state": "closed",
            "reason_category": "security",
            "reason": PAYLOADS[1] + PAYLOADS[2],
        },
    )
    browser = Browserless(api.server, api.users)
    try:
        public = browser.get("/").text
        assert_escaped(public)
        assert "{{ 7*7 }}" in public, "template syntax in data is shown, never evaluated"
        browser.login(Role.SUPERVISOR)
        for page in ("", "/supervisor", "/assessments", "/security"):
            response = browser.get(f"/crossings/{code}{page}")
            assert response.status_code == 200, page
            assert_escaped(response.text)
    finally:
        browser.close()
