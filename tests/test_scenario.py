"""scenario.md's acceptance, on the database `borderpost demo` builds, over the HTTP API."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from borderpost.audit.models import AuditRecord
from borderpost.auth.permissions import Role
from borderpost.db import Database
from borderpost.demo.loader import demo_password
from tests.conftest import LiveServer


@pytest.fixture(scope="module")
def demo_api(demo_database: Database) -> Iterator[httpx.Client]:
    server = LiveServer(demo_database)
    client = httpx.Client(base_url=server.url + "/api/v1", timeout=30)
    yield client
    client.close()
    server.stop()


def login(client: httpx.Client, role: Role) -> dict[str, str]:
    token = client.post(
        "/auth/token", data={"username": role.value, "password": demo_password(role)}
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_the_story_is_in_the_audit_log_in_order(demo_database: Database):
    with demo_database.transaction() as s:
        actions = list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
    milestones = [
        "crossing.create",
        "incident.record",
        "crossing.status_change",  # closed for security, 2024-12-07
        "group_arrival.create",
        "group_arrival.handover",
        "statement.publish",  # the neighbour asks for trade to resume, 2025-03-14
        "assessment.open",
        "assessment.sign",
        "assessment.sign",
        "crossing.status_change",  # reopened with the assessment, 2025-06-14
        "truck.arrive",
        "truck.release",
        "movement.record",
    ]
    position = 0
    for action in actions:
        if position < len(milestones) and action == milestones[position]:
            position += 1
    assert position == len(milestones), f"story stops after {milestones[:position]}"


def test_first_truck_after_the_reopening_went_from_arrival_to_release(demo_api: httpx.Client):
    headers = login(demo_api, Role.CUSTOMS)
    page = demo_api.get("/crossings/IQ-QAIM/trucks?state=released&limit=100", headers=headers)
    assert page.status_code == 200
    trucks = page.json()["items"]
    while page.json()["next_cursor"]:
        page = demo_api.get(
            f"/crossings/IQ-QAIM/trucks?state=released&limit=100&cursor={page.json()['next_cursor']}",
            headers=headers,
        )
        trucks += page.json()["items"]
    first = min(trucks, key=lambda t: t["arrived_at"])
    assert first["arrived_at"].startswith("2025-06-14")
    assert first["direction"] == "inbound" and first["registration_country"] == "SYR"
    assert [i["result"] for i in first["inspections"]] == ["cleared"]


def test_the_first_fortnight_in_statistics(demo_api: httpx.Client):
    headers = login(demo_api, Role.ANALYST)
    stats = demo_api.get(
        "/crossings/IQ-QAIM/statistics?from=2025-06-14&to=2025-06-27", headers=headers
    ).json()
    chapters = {c["chapter"]: c for c in stats["cargo"]["by_hs_chapter"]}
    assert {"25", "27", "87"} <= set(chapters), "cement, fuel and vehicles crossed"
    assert stats["cargo"]["trucks_inbound"] + stats["cargo"]["trucks_outbound"] > 1000
    passengers = stats["passengers"]
    assert passengers["entries"] > 1000 and passengers["exits"] > 1000
    nationalities = {n["nationality"] for n in passengers["by_nationality"]}
    assert {"IRQ", "SYR"} <= nationalities
    closed = demo_api.get(
        "/crossings/IQ-QAIM/statistics?from=2025-01-01&to=2025-06-13", headers=headers
    ).json()
    assert closed["passengers"]["entries"] == 0 and closed["cargo"]["trucks_inbound"] == 0


def test_public_page_shows_both_classes_open_with_the_statement_in_both_languages(
    demo_api: httpx.Client,
):
    public = demo_api.get("/public/crossings/IQ-QAIM").json()
    assert public["status"]["cargo"]["state"] == "open"
    assert public["status"]["passenger"]["state"] == "open"
    assert "open" in public["statement"]["text_en"]
    assert "مفتوح" in public["statement"]["text_ar"]
    assert public["counterpart_name"] == "Albu Kamal"


def test_the_audit_chain_is_intact(demo_api: httpx.Client):
    verified = demo_api.get("/audit/verify", headers=login(demo_api, Role.AUDITOR)).json()
    assert verified["ok"] is True and verified["records"] > 1000
