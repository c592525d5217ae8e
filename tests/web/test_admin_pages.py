"""The administrator's users page over HTTP, the scope of the working pages, and the page in the
browser (create a user kept to one crossing, in Arabic)."""

from __future__ import annotations

import html
import re
import secrets

import httpx
import pytest
from sqlalchemy import select

from borderpost.audit.access import AccessRecord
from borderpost.auth import users as user_admin
from borderpost.auth.models import User
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.crossing.models import Crossing
from borderpost.db import Database
from borderpost.traveller.models import Movement
from tests.conftest import PASSWORD, LiveServer
from tests.web.conftest import Browserless, Watched, csrf_of
from tests.web.test_work_pages import passport

PAGE = "/admin/users"
STRONG = "Qaim-ledger-crossing-7781"


def user_id(db: Database, name: str) -> str:
    with db.reader() as s:
        found = s.scalar(select(User.id).where(User.username == name))
        assert found is not None
        return found


def logs_in(server: LiveServer, name: str, password: str) -> bool:
    with httpx.Client(base_url=server.url) as http:
        token = csrf_of(http.get("/login").text)
        response = http.post(
            "/login", data={"username": name, "password": password, "csrf_token": token}
        )
        return response.status_code == 303


def test_only_an_administrator_opens_the_users_page(client: Browserless) -> None:
    client.login(Role.SUPERVISOR)
    refused = client.get(PAGE)
    assert refused.status_code == 403
    client.login(Role.ADMIN)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'href="/admin/users"' in page.text  # in the menu
    assert client.users[Role.IMMIGRATION] in page.text


def test_create_scope_reset_disable_and_enable_a_user(
    client: Browserless, server: LiveServer, web_database: Database, crossing: str
) -> None:
    client.login(Role.ADMIN)
    name = f"officer{secrets.token_hex(3)}"
    created = client.submit(
        PAGE,
        PAGE,
        {"username": name, "password": STRONG, "role": "immigration", "country": "irq",
         "crossings": crossing},
    )  # fmt: skip
    assert created.status_code == 303, created.text[:600]
    listing = client.get(PAGE).text
    row = re.search(rf'<tr id="user-{name}".*?</tr>', listing, re.S)
    assert row and crossing in row.group(0) and "IRQ" in row.group(0)
    uid = user_id(web_database, name)

    # scope: the list replaced by none (every Iraqi crossing)
    saved = client.submit(PAGE, f"{PAGE}/{uid}/scope", {"country": "IRQ"})
    assert saved.status_code == 303
    with web_database.reader() as s:
        assert user_admin.crossings_of(s, [uid]) == {}

    # a crossing of another state is refused in place, naming the field
    refused = client.submit(PAGE, f"{PAGE}/{uid}/scope", {"country": "JOR", "crossings": crossing})
    assert refused.status_code == 422
    assert f'id="scope-{uid}-crossings-error"' in refused.text or "field-error" in refused.text

    new_password = "Another-unusual-phrase-4417"
    reset = client.submit(PAGE, f"{PAGE}/{uid}/password", {"password": new_password})
    assert reset.status_code == 303
    assert logs_in(server, name, new_password) and not logs_in(server, name, STRONG)

    assert client.submit(PAGE, f"{PAGE}/{uid}/disable", {}).status_code == 303
    assert not logs_in(server, name, new_password)
    assert client.submit(PAGE, f"{PAGE}/{uid}/enable", {}).status_code == 303
    assert logs_in(server, name, new_password)


def test_create_errors_are_shown_in_place(client: Browserless) -> None:
    client.login(Role.ADMIN)
    page = client.get(PAGE).text
    token = csrf_of(page)
    missing_country = client.http.post(
        PAGE,
        data={"username": "nocountry1", "password": STRONG, "role": "customs", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert missing_country.status_code == 422
    assert "<html" not in missing_country.text  # the form alone, swapped in place
    assert 'data-field="country"' in missing_country.text
    assert STRONG not in missing_country.text  # a password is never shown back
    taken = client.submit(
        PAGE,
        PAGE,
        {"username": client.users[Role.ADMIN], "password": STRONG, "role": "analyst"},
    )
    assert taken.status_code == 409 and "That username is taken." in html.unescape(taken.text)


def test_the_last_active_administrator_cannot_be_disabled(
    client: Browserless, web_database: Database
) -> None:
    client.login(Role.ADMIN)
    second = f"admin{secrets.token_hex(3)}"
    made = client.submit(PAGE, PAGE, {"username": second, "password": STRONG, "role": "admin"})
    assert made.status_code == 303
    assert (
        client.submit(PAGE, f"{PAGE}/{user_id(web_database, second)}/disable", {}).status_code
        == 303
    )
    me = user_id(web_database, client.users[Role.ADMIN])
    refused = client.submit(PAGE, f"{PAGE}/{me}/disable", {})
    assert refused.status_code == 409
    assert "The last active administrator cannot be disabled." in html.unescape(refused.text)


def test_the_users_page_in_arabic(client: Browserless) -> None:
    client.login(Role.ADMIN)
    page = client.get(PAGE + "?lang=ar").text
    assert 'dir="rtl"' in page and "المستخدمون" in page and "إنشاء مستخدم" in page


def test_a_working_page_outside_the_scope_is_refused(
    client: Browserless, server: LiveServer, web_database: Database
) -> None:
    name = f"syr{secrets.token_hex(3)}"
    with web_database.transaction() as s:
        user_admin.create_user(
            s, username=name, password=PASSWORD, role=Role.SUPERVISOR, country="SYR", actor=SYSTEM
        )
    outsider = Browserless(server, {Role.SUPERVISOR: name})
    try:
        outsider.login(Role.SUPERVISOR)
        refused = outsider.get("/crossings/IQ-QAIM/supervisor")
        assert refused.status_code == 403
        assert "This crossing is outside your scope." in refused.text
        assert outsider.get("/crossings/IQ-QAIM").status_code == 200  # the dashboard: anyone's
        posted = outsider.submit(
            "/crossings/IQ-QAIM",
            "/crossings/IQ-QAIM/supervisor/statements",
            {"text_en": "Closed.", "text_ar": "مغلق."},
        )
        assert posted.status_code == 403
    finally:
        outsider.close()


def test_a_page_that_shows_persons_records_who_saw_them(
    client: Browserless, web_database: Database, crossing: str
) -> None:
    """The supervisor page lists referred travellers: each one shown is in the access log."""
    client.login(Role.IMMIGRATION)
    booth = f"/crossings/{crossing}/booth"
    mrz = passport("N" + secrets.token_hex(4).upper())
    for _ in range(2):  # an entry without an exit since: the second is referred
        moved = client.submit(
            booth, booth, {"mrz": mrz, "direction": "entry", "travel_mode": "car"}
        )
        assert moved.status_code == 303
    with web_database.reader() as s:
        before = s.scalar(select(AccessRecord.id).order_by(AccessRecord.id.desc()).limit(1)) or 0
        referred = s.scalars(
            select(Movement.id)
            .join(Crossing, Crossing.id == Movement.crossing_id)
            .where(Movement.decision == "referred", Crossing.code == crossing)
        ).all()
    assert len(referred) == 1
    client.login(Role.SUPERVISOR)
    assert client.get(f"/crossings/{crossing}/supervisor").status_code == 200
    with web_database.reader() as s:
        rows = s.scalars(select(AccessRecord).where(AccessRecord.id > before)).all()
    assert [(r.username, r.subject_type, r.subject_id, r.route) for r in rows] == [
        (client.users[Role.SUPERVISOR], "movement", referred[0], "GET /crossings/{code}/supervisor")
    ]


@pytest.mark.browser
def test_an_administrator_creates_a_user_kept_to_a_crossing_in_arabic(
    watched: Watched, web_database: Database
) -> None:
    page = watched.page
    watched.login(Role.ADMIN)
    page.goto(PAGE + "?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    name = f"browser{secrets.token_hex(3)}"
    page.fill("#create-username", name)
    page.fill("#create-password", STRONG)
    page.select_option("#create-role", "customs")
    page.fill("#create-country", "IRQ")
    page.check('#create-form input[name="crossings"][value="IQ-QAIM"]')
    with page.expect_navigation():
        page.click("#create-form button[type=submit]")
    page.locator(".flash-success").wait_for()
    row = page.locator(f"#user-{name}")
    assert "IQ-QAIM" in row.inner_text()
    with web_database.reader() as s:
        uid = s.scalar(select(User.id).where(User.username == name))
        assert user_admin.crossings_of(s, [uid]).get(uid) == ["IQ-QAIM"]
    page.goto(PAGE + "?lang=en")
