"""The auditor's pages over HTTP: the audit log's records listed, filtered and paged, the chain
verified (intact, then tampered with behind the application's back), the access log showing a
read, and every other role refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from borderpost.auth.permissions import Permission, Role, has_permission
from borderpost.db import Database
from tests.audit.test_audit import tamper
from tests.conftest import DatabaseFactory, LiveServer, create_role_users
from tests.web.conftest import Browserless, new_crossing
from tests.web.test_admission_pages import mrz, number


def rows(html: str) -> list[str]:
    """The records listed, newest first: their numbers."""
    return re.findall(r'<tr data-record="(\d+)"', html)


def close_cargo(client: Browserless, code: str) -> None:
    page = f"/crossings/{code}/supervisor"
    data = {"traffic": ["cargo"], "state": "closed", "reason_category": "weather",
            "reason": "dust storm"}  # fmt: skip
    response = client.submit(page, f"{page}/status", data)
    assert response.status_code == 303, response.text[:800]


def test_the_auditor_lists_and_filters_the_records(
    client: Browserless, server: LiveServer, web_database: Database
) -> None:
    code = new_crossing(web_database)
    supervisor = Browserless(server, client.users)
    supervisor.login(Role.SUPERVISOR)
    close_cargo(supervisor, code)
    supervisor.close()

    client.login(Role.AUDITOR)
    everything = client.get("/audit?lang=en")
    assert everything.status_code == 200
    assert "Audit log" in everything.text and 'id="verify-form"' in everything.text
    listed = rows(everything.text)
    assert listed and listed == sorted(listed, key=int, reverse=True)  # newest first

    mine = client.get(f"/audit?crossing={code}&lang=en")
    assert mine.status_code == 200
    actions = re.findall(r'data-action="([^"]+)"', mine.text)
    assert actions == ["crossing.status_change", "crossing.create"], actions
    by_actor = client.get(
        "/audit",
        params={"crossing": code, "actor": client.users[Role.SUPERVISOR], "lang": "en"},
    )
    assert re.findall(r'data-action="([^"]+)"', by_actor.text) == ["crossing.status_change"]
    assert f"<bdi>{client.users[Role.SUPERVISOR]} (supervisor)</bdi>" in by_actor.text
    by_action = client.get(
        "/audit", params={"crossing": code, "action": "crossing.create", "lang": "en"}
    )
    assert re.findall(r'data-action="([^"]+)"', by_action.text) == ["crossing.create"]
    subject = re.search(r"<bdi>crossing</bdi> <bdi><code>(\w+)</code>", by_action.text)
    assert subject, "the subject is named"
    by_subject = client.get(
        "/audit", params={"subject_type": "crossing", "subject_id": subject.group(1)}
    )
    assert len(rows(by_subject.text)) == 2
    future = client.get("/audit", params={"crossing": code, "since": "2199-01-01"})
    assert rows(future.text) == [] and 'id="no-records"' in future.text
    today = client.get("/audit", params={"crossing": code, "until": "2000-01-01"})
    assert rows(today.text) == []

    older = client.get(f"/audit?cursor={listed[0]}")  # the page after the newest record
    assert rows(older.text)[0] == str(int(listed[0]) - 1)

    arabic = client.get(f"/audit?crossing={code}&lang=ar")
    assert '<html lang="ar" dir="rtl"' in arabic.text
    assert "سجل التدقيق" in arabic.text
    assert "<bdi><code>crossing.create</code></bdi>" in arabic.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "1999-12-31"}, "until"),
        ({"since": "2025-06-02", "until": "2025-06-01"}, "until"),
        ({"crossing": "XX-NOWHERE"}, "crossing"),
        ({"actor": "a" * 65}, "actor"),
    ],
)
def test_a_bad_filter_is_shown_on_its_field(
    client: Browserless, params: dict[str, str], field: str
) -> None:
    client.login(Role.AUDITOR)
    response = client.get("/audit", params={**params, "lang": "en"})
    assert response.status_code == 422
    assert f'data-field="{field}"' in response.text
    assert rows(response.text) == []


@pytest.mark.parametrize("cursor", ["x", "0", "²", "9" * 20])
def test_a_bad_cursor_is_refused_on_the_page(client: Browserless, cursor: str) -> None:
    client.login(Role.AUDITOR)
    for path in ("/audit", "/audit/access"):
        response = client.get(path, params={"cursor": cursor, "lang": "en"})
        assert response.status_code == 422, (path, cursor)
        assert "Invalid request" in response.text


def test_verify_reports_an_intact_chain(client: Browserless) -> None:
    client.login(Role.AUDITOR)
    shown = client.get("/audit/verify?lang=en")
    assert shown.status_code == 200
    assert 'data-ok="true"' in shown.text and "The audit log is intact" in shown.text
    assert "No signed checkpoints are set up" in shown.text
    fragment = client.get("/audit/verify?lang=ar", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="verification">')
    assert "سليم" in fragment.text and "<html" not in fragment.text


@pytest.fixture
def own_server(db_factory: DatabaseFactory) -> Iterator[tuple[Database, Browserless]]:
    """A database of the test's own: the test breaks its chain."""
    db = db_factory.copy()
    users = create_role_users(db, suffix=".tamper")
    new_crossing(db)
    live = LiveServer(db)
    c = Browserless(live, users)
    try:
        yield db, c
    finally:
        c.close()
        live.stop()
        db.dispose()


def test_verify_reports_a_record_changed_in_the_database(own_server) -> None:
    db, client = own_server
    client.login(Role.AUDITOR)
    assert 'data-ok="true"' in client.get("/audit/verify").text
    tamper(db, "UPDATE audit_record SET actor = 'someone else' WHERE id = 2")
    shown = client.get("/audit/verify?lang=en")
    assert shown.status_code == 200
    assert 'data-ok="false"' in shown.text and 'data-kind="content"' in shown.text
    assert 'data-first-bad="2"' in shown.text and 'role="alert"' in shown.text
    assert "Tampering found" in shown.text
    assert "Record 2 was changed: its content does not match its hash." in shown.text
    assert 'href="/audit?cursor=3"' in shown.text  # the record, shown first on its page
    arabic = client.get("/audit/verify?lang=ar")
    assert "تم العثور على تلاعب" in arabic.text
    tamper(db, "DELETE FROM audit_record WHERE id = 3")
    removed = client.get("/audit/verify?lang=en").text
    assert 'data-first-bad="2"' in removed  # still the first bad one


def test_the_access_log_shows_a_read(
    client: Browserless, server: LiveServer, web_database: Database
) -> None:
    code = new_crossing(web_database)
    officer = Browserless(server, client.users)
    officer.login(Role.IMMIGRATION)
    booth = f"/crossings/{code}/booth"
    made = officer.submit(
        booth, booth, {"mrz": mrz(number(), "IRQ"), "direction": "entry", "travel_mode": "foot"}
    )
    assert made.status_code == 303
    movement = re.search(r"movement=(\w+)", made.headers["location"]).group(1)
    assert officer.get(made.headers["location"]).status_code == 200  # the booth shows it: a read
    officer.close()

    client.login(Role.AUDITOR)
    shown = client.get("/audit/access", params={"subject_id": movement, "lang": "en"})
    assert shown.status_code == 200
    reads = re.findall(
        r'<tr data-access="\d+" data-subject="(\w+)" data-username="([^"]+)"', shown.text
    )
    assert reads == [(movement, client.users[Role.IMMIGRATION])]
    assert f"<bdi>{code}</bdi>" in shown.text
    assert "GET /crossings/{code}/booth" in shown.text
    nobody = client.get(
        "/audit/access", params={"subject_id": movement, "username": "nobody", "lang": "en"}
    )
    assert 'data-access="' not in nobody.text and 'id="no-records"' in nobody.text
    arabic = client.get("/audit/access", params={"subject_type": "movement", "lang": "ar"})
    assert "سجل الاطلاع" in arabic.text
    bad = client.get("/audit/access", params={"subject_type": "passport"})
    assert bad.status_code == 422 and 'data-field="subject_type"' in bad.text


@pytest.mark.parametrize("role", list(Role))
def test_only_the_roles_that_may_read_the_logs_see_them(client: Browserless, role: Role) -> None:
    client.login(role)
    for path, permission in [
        ("/audit", Permission.AUDIT_READ),
        ("/audit/verify", Permission.AUDIT_READ),
        ("/audit/access", Permission.ACCESS_LOG_READ),
    ]:
        response = client.get(f"{path}?lang=en")
        allowed = has_permission(role, permission)
        assert response.status_code == (200 if allowed else 403), (role, path)
        assert response.headers["content-type"].startswith("text/html")
        if not allowed:
            assert "Not allowed" in response.text
    home = client.get("/?lang=en").text
    assert ('href="/audit"' in home) == has_permission(role, Permission.AUDIT_READ)
    if has_permission(role, Permission.AUDIT_READ):
        records = client.get("/audit").text
        shows_access = 'href="/audit/access"' in records
        assert shows_access == has_permission(role, Permission.ACCESS_LOG_READ)


def test_without_a_session_the_logs_ask_for_a_login(client: Browserless) -> None:
    response = client.get("/audit/access")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/audit/access"
