"""The pages over HTTP: languages, login, CSRF, Post/Redirect/Get, permissions, not-found pages."""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from fastapi.routing import APIRoute

from borderpost.auth.permissions import Role, has_permission
from borderpost.web.routes import domain_page_routers
from tests.web.conftest import Browserless, csrf_of

QAIM = "IQ-QAIM"


def page_routes() -> list[tuple[str, object]]:
    """Every GET page with its declared permission (None: public)."""
    routes = []
    for route in (r for router in domain_page_routers() for r in router.routes):
        if not isinstance(route, APIRoute) or "GET" not in route.methods:
            continue
        if route.path.startswith("/static"):
            continue
        needed = [
            d.call.permission  # type: ignore[union-attr]
            for d in route.dependant.dependencies
            if hasattr(d.call, "permission")
        ]
        assert needed, f"{route.path} declares no permission (public pages declare None)"
        routes.append((route.path, needed[0]))
    return routes


EXPORTS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def concrete(path: str) -> str:
    return path.replace("{code}", QAIM)


# --- languages --------------------------------------------------------------------------------


def test_public_page_in_english_and_arabic_and_the_choice_is_remembered(
    client: Browserless,
) -> None:
    english = client.get("/")
    assert english.status_code == 200
    assert '<html lang="en" dir="ltr"' in english.text
    assert "Crossing status" in english.text
    assert "Al-Qaim is open to cargo trucks and passengers" in english.text

    arabic = client.get("/?lang=ar")
    assert '<html lang="ar" dir="rtl"' in arabic.text
    assert "حالة المنفذ" in arabic.text
    assert "منفذ القائم مفتوح أمام الشاحنات" in arabic.text
    assert "حزيران" in arabic.text  # the date in Arabic
    assert "bp_lang=ar" in arabic.headers["set-cookie"]

    remembered = client.get("/")
    assert '<html lang="ar" dir="rtl"' in remembered.text
    back = client.get("/?lang=en")
    assert '<html lang="en" dir="ltr"' in back.text


def test_an_unknown_language_falls_back_to_english(client: Browserless) -> None:
    response = client.get("/?lang=xx")
    assert '<html lang="en" dir="ltr"' in response.text
    assert "bp_lang" not in response.headers.get("set-cookie", "")


def test_the_public_page_refreshes_itself_as_a_fragment(client: Browserless) -> None:
    page = client.get("/")
    assert 'hx-trigger="every 60s"' in page.text
    fragment = client.get("/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="public-status"')
    assert "<html" not in fragment.text


# --- login ------------------------------------------------------------------------------------


def test_login_sets_an_http_only_session_and_goes_to_the_roles_page(client: Browserless) -> None:
    response = client.login(Role.SUPERVISOR)
    assert response.headers["location"] == f"/crossings/{QAIM}/supervisor"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("bp_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # served over plain http here
    assert client.get(f"/crossings/{QAIM}/supervisor").status_code == 200


def test_the_auditor_lands_on_the_audit_log(client: Browserless) -> None:
    response = client.login(Role.AUDITOR)
    assert response.headers["location"] == "/audit"
    assert client.get("/audit").status_code == 200


def test_login_returns_to_the_page_asked_for_but_never_to_another_host(
    client: Browserless,
) -> None:
    first = client.get(f"/crossings/{QAIM}/security")
    assert first.status_code == 303
    assert first.headers["location"] == f"/login?next=/crossings/{QAIM}/security"
    token = csrf_of(client.get("/login").text)
    for target, expected in [
        (f"/crossings/{QAIM}/security", f"/crossings/{QAIM}/security"),
        ("//evil.example/x", f"/crossings/{QAIM}/security"),
        ("https://evil.example/", f"/crossings/{QAIM}/security"),
    ]:
        response = client.http.post(
            "/login",
            data={
                "username": client.users[Role.SECURITY],
                "password": "correct-horse-battery",
                "csrf_token": token,
                "next": target,
            },
        )
        assert response.status_code == 303
        assert response.headers["location"] == expected


@pytest.mark.parametrize(
    ("username", "password", "status", "field", "message"),
    [
        ("", "x", 422, "username", "This field is required."),
        ("supervisor.web", "", 422, "password", "This field is required."),
        ("u" * 65, "x", 422, "username", "Too long"),
        ("supervisor.web", "p" * 257, 422, "password", "Too long"),
        ("analyst.web", "wrong-password", 401, None, "Wrong username or password."),
        ("nobody", "wrong-password", 401, None, "Wrong username or password."),
    ],
)
def test_bad_logins_redisplay_the_form_with_the_error(
    client: Browserless, username: str, password: str, status: int, field: str | None, message: str
) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.http.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == status
    assert message in response.text
    assert "bp_session" not in response.headers.get("set-cookie", "")
    if field:
        assert f'id="login-{field}-error"' in response.text
        assert 'aria-invalid="true"' in response.text


def test_logout_ends_the_session_and_revokes_its_token(client: Browserless, server) -> None:
    client.login(Role.AUDITOR)
    page = client.get(f"/crossings/{QAIM}")
    assert page.status_code == 200
    stolen = client.http.cookies["bp_session"]
    response = client.http.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert response.status_code == 303
    assert client.get(f"/crossings/{QAIM}").status_code == 303
    replay = Browserless(server, client.users)
    replay.http.cookies.set("bp_session", stolen)
    assert replay.get(f"/crossings/{QAIM}").status_code == 303  # the old cookie is dead too
    replay.close()


def test_repeated_failures_lock_the_login_and_say_so(client: Browserless) -> None:
    token = csrf_of(client.get("/login").text)
    statuses = []
    for _ in range(6):
        response = client.http.post(
            "/login", data={"username": "lock.me", "password": "wrong", "csrf_token": token}
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    assert "Too many failed logins" in response.text


# --- CSRF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "forged-token-value"])
def test_a_form_without_a_valid_csrf_token_is_refused_and_records_nothing(
    client: Browserless, crossing: str, token: str | None
) -> None:
    client.login(Role.SECURITY)
    data = {
        "kind": "patrol",
        "severity": "1",
        "occurred_at": "2025-06-20T10:00",
        "description": f"csrf probe {token!r}",
    }
    if token is not None:
        data["csrf_token"] = token
    response = client.http.post(f"/crossings/{crossing}/security/incidents", data=data)
    assert response.status_code == 403
    assert "not sent from this site" in response.text
    assert f"csrf probe {token!r}" not in client.get(f"/crossings/{crossing}/security").text


def test_the_login_form_needs_its_csrf_token(client: Browserless) -> None:
    client.get("/login")
    response = client.http.post(
        "/login",
        data={"username": client.users[Role.SUPERVISOR], "password": "correct-horse-battery"},
    )
    assert response.status_code == 403
    assert "bp_session" not in response.headers.get("set-cookie", "")


# --- Post/Redirect/Get and form errors ------------------------------------------------------------


def test_a_valid_form_redirects_and_the_next_page_shows_the_flash_once(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.SECURITY)
    page = f"/crossings/{crossing}/security"
    response = client.submit(
        page,
        f"{page}/incidents",
        {
            "kind": "patrol",
            "severity": "2",
            "occurred_at": "2025-06-20T10:00",
            "description": "Joint patrol along the berm.",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == page
    shown = client.get(page)
    assert "Incident recorded." in shown.text
    assert "Joint patrol along the berm." in shown.text
    assert "20 Jun 2025, 10:00" in shown.text  # stored in UTC, shown in the crossing's time
    assert "Incident recorded." not in client.get(page).text


def test_htmx_gets_a_redirect_header_instead_of_a_redirect(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.SECURITY)
    page = f"/crossings/{crossing}/security"
    response = client.submit(
        page,
        f"{page}/incidents",
        {"kind": "patrol", "severity": "1", "occurred_at": "2025-06-21T10:00", "description": "x"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == page


# Every form: (role, page, action, valid data, field to spoil, empty/too long/malformed values)
FORMS = [
    (
        Role.SECURITY,
        "/crossings/{code}/security",
        "/crossings/{code}/security/incidents",
        {"kind": "patrol", "severity": "2", "occurred_at": "2025-06-20T10:00", "description": "d"},
        [
            ("kind", "", "This field is required."),
            ("kind", "k" * 201, "Too long"),
            ("description", "", "This field is required."),
            ("description", "d" * 5001, "Too long"),
            ("severity", "", "This field is required."),
            ("severity", "9", "at most 5"),
            ("severity", "grave", "Enter a number."),
            ("occurred_at", "", "Enter a valid date and time."),
            ("occurred_at", "yesterday", "Enter a valid date and time."),
        ],
    ),
    (
        Role.SUPERVISOR,
        "/crossings/{code}/supervisor",
        "/crossings/{code}/supervisor/statements",
        {"text_en": "Open as usual.", "text_ar": "مفتوح كالمعتاد."},
        [
            ("text_en", "", "This field is required."),
            ("text_ar", "", "This field is required."),
            ("text_ar", "ا" * 5001, "Too long"),
        ],
    ),
    (
        Role.SUPERVISOR,
        "/crossings/{code}/supervisor",
        "/crossings/{code}/supervisor/assessments",
        {"title": "T", "findings": "F", "recommendation": "reopen", "traffic": ["cargo"]},
        [
            ("title", "", "This field is required."),
            ("title", "t" * 201, "Too long"),
            ("findings", "", "This field is required."),
            ("recommendation", "", "This field is required."),
            ("recommendation", "reopen_now", "Choose one of the options."),
            ("traffic", [], "Choose at least one."),
            ("traffic", ["trains"], "Choose one of the options."),
        ],
    ),
    (
        Role.SUPERVISOR,
        "/crossings/{code}/supervisor",
        "/crossings/{code}/supervisor/status",
        {"traffic": ["cargo"], "state": "restricted", "reason_category": "weather", "reason": "r"},
        [
            ("reason", "", "This field is required."),
            ("reason", "r" * 5001, "Too long"),
            ("state", "", "This field is required."),
            ("state", "ajar", "Choose one of the options."),
            ("reason_category", "", "is required to close or restrict traffic"),
            ("traffic", [], "Choose at least one."),
        ],
    ),
]


@pytest.mark.parametrize(
    ("role", "page", "action", "valid", "field", "bad", "message"),
    [
        (role, page, action, valid, field, bad, message)
        for role, page, action, valid, cases in FORMS
        for field, bad, message in cases
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None,
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_every_form_redisplays_with_the_fields_error(
    client: Browserless,
    crossing: str,
    role: Role,
    page: str,
    action: str,
    valid: dict[str, object],
    field: str,
    bad: object,
    message: str,
    htmx: bool,
) -> None:
    client.login(role)
    data = {**valid, field: bad}
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.submit(
        page.format(code=crossing), action.format(code=crossing), data, headers=headers
    )
    assert response.status_code == 422, response.text[:500]
    assert f'data-field="{field}"' in response.text
    error = re.search(rf'data-field="{field}">([^<]*)<', response.text)
    assert error and message in error.group(1), error and error.group(1)
    if htmx:
        assert response.text.lstrip().startswith("<form")  # the form alone, swapped in place
    else:
        assert "<html" in response.text
    typed = field in ("kind", "title", "reason", "text_en", "text_ar", "description")
    if typed and isinstance(bad, str) and 0 < len(bad) < 300:
        assert bad in response.text  # the text typed is kept


def test_a_refused_status_change_is_shown_in_the_form(client: Browserless, crossing: str) -> None:
    client.login(Role.SUPERVISOR)
    page = f"/crossings/{crossing}/supervisor"
    response = client.submit(
        page,
        f"{page}/status",
        {"traffic": ["cargo"], "state": "open", "reason": "already open"},
    )
    assert response.status_code == 409
    assert "Nothing to change" in response.text
    assert 'class="form-error"' in response.text


# --- permissions and missing pages ------------------------------------------------------------


def test_every_page_declares_its_permission() -> None:
    paths = {path for path, _ in page_routes()}
    for expected in [
        "/",
        "/login",
        "/crossings/{code}",
        "/crossings/{code}/supervisor",
        "/crossings/{code}/security",
        "/crossings/{code}/assessments",
        "/crossings/{code}/booth",
        "/crossings/{code}/cargo",
        "/crossings/{code}/cargo/hs",
        "/crossings/{code}/cargo/item-row",
        "/crossings/{code}/reports",
        "/crossings/{code}/reports/statistics.csv",
        "/crossings/{code}/reports/statistics.xlsx",
    ]:
        assert expected in paths


@pytest.fixture
def refused_movement(web_database) -> str:
    """A refused entry at Al-Qaim (a Syrian with no visa): the refusal page prints it."""
    from borderpost.auth.service import SYSTEM
    from borderpost.crossing import service as crossings
    from borderpost.traveller import service as travellers
    from borderpost.traveller.mrz_build import build_td3
    from borderpost.traveller.rules import Direction, TravelMode

    mrz = build_td3(
        issuing_state="SYR",
        surname="QWERTZUIOP",
        given_names="ASDF",
        document_number="R" + secrets.token_hex(4).upper(),
        nationality="SYR",
        birth_date=date(1980, 1, 1),
        sex="M",
        expiry_date=date(2031, 1, 1),
    )
    with web_database.transaction() as db:
        movement = travellers.record_movement(
            db,
            crossing=crossings.get_crossing(db, QAIM),
            direction=Direction.ENTRY,
            travel_mode=TravelMode.FOOT,
            mrz=mrz,
            actor=SYSTEM,
        )
        assert movement.decision == "refused"
        return movement.id


def test_every_page_with_every_role_is_shown_or_not_allowed_never_an_error(
    server, users: dict[Role, str], refused_movement: str
) -> None:
    def concrete(path: str) -> str:  # the pages of one movement: a refused one
        return path.replace("{code}", QAIM).replace("{movement_id}", refused_movement)

    routes = page_routes()
    anonymous = Browserless(server, users)
    for path, permission in routes:
        response = anonymous.get(concrete(path))
        if permission is None:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next=")
    anonymous.close()
    for role in Role:
        c = Browserless(server, users)
        c.login(role)
        for path, permission in routes:
            response = c.get(concrete(path))
            allowed = permission is None or has_permission(role, permission)
            # A page of a record (a seizure case) asked with no such record: a 404 page.
            shown = 404 if "{" in concrete(path) else 200
            assert response.status_code == (shown if allowed else 403), (role, path)
            kind = EXPORTS.get(path.rsplit(".", 1)[-1], "text/html") if allowed else "text/html"
            assert response.headers["content-type"].startswith(kind), (role, path)
            if not allowed:
                assert "Not allowed" in response.text
                assert "Traceback" not in response.text
        c.close()


def test_a_page_of_an_unknown_crossing_is_a_404_page(client: Browserless) -> None:
    client.login(Role.SUPERVISOR)
    for path, permission in page_routes():
        if "{code}" not in path:
            continue
        response = client.get(path.replace("{code}", "XX-NOWHERE"))
        if permission is not None and response.status_code == 403:
            continue
        assert response.status_code == 404, path
        assert "Page not found" in response.text
        assert response.headers["content-type"].startswith("text/html")


def test_a_forbidden_post_is_a_403_page(client: Browserless, crossing: str) -> None:
    client.login(Role.ANALYST)
    token = csrf_of(client.get("/").text)
    response = client.http.post(
        f"/crossings/{crossing}/supervisor/status",
        data={"csrf_token": token, "traffic": "cargo", "state": "closed", "reason": "x"},
    )
    assert response.status_code == 403
    assert "Not allowed" in response.text


# --- what the browser is sent -----------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy_and_no_inline_script(
    client: Browserless,
) -> None:
    client.login(Role.SUPERVISOR)
    for path, _ in page_routes():
        response = client.get(concrete(path))
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        for tag in re.findall(r"<script[^>]*>", response.text):
            assert 'src="/static/' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=", response.text), path
        assert not re.search(r"\sstyle=", response.text), path
        assert not re.search(r'(src|href)="(https?:)?//', response.text), path


def test_assets_are_served_by_the_application(client: Browserless) -> None:
    for path, kind in [
        ("/static/vendor/htmx.min.js", "javascript"),
        ("/static/vendor/chart.umd.min.js", "javascript"),
        ("/static/vendor/pico.min.css", "css"),
        ("/static/app.js", "javascript"),
        ("/static/app.css", "css"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert kind in response.headers["content-type"]
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e/%2e%2e/app.py").status_code == 404
