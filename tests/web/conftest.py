"""Fixtures for the pages: a live server on a database loaded with the Al-Qaim story, an HTTP
client that logs in through the login form, and a Playwright page on Debian's chromium that
fails the test on any console error or any request to another host."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from sqlalchemy import select

from borderpost.auth.models import User
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM, actor_of
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.demo import crossing_story, passenger_story
from tests.conftest import PASSWORD, DatabaseFactory, LiveServer, create_role_users

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VENDOR = Path(__file__).resolve().parents[2] / "src/borderpost/web/static/vendor"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
EXPECTED_REFUSAL = re.compile(r"Failed to load resource: .*status of (401|403|409|422|429)\b")


@pytest.fixture(scope="session")
def web_database(db_factory: DatabaseFactory) -> Iterator[Database]:
    """A database of its own with users for every role and the Al-Qaim story (IQ-QAIM)."""
    db = db_factory.copy()
    users = create_role_users(db, suffix=".web")
    with db.transaction() as s:
        actors = {
            role: actor_of(s.scalar(select(User).where(User.username == name)))  # type: ignore[arg-type]
            for role, name in users.items()
        }
    passenger_story.import_watchlist(db, actors, lambda _t: None)
    crossing_story.closure(db, actors, lambda _t: None)
    crossing_story.road_to_reopening(db, actors, lambda _t: None)
    db.users = users  # type: ignore[attr-defined]
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def server(web_database: Database) -> Iterator[LiveServer]:
    live = LiveServer(web_database)
    yield live
    live.stop()


@pytest.fixture(scope="session")
def users(web_database: Database) -> dict[Role, str]:
    return web_database.users  # type: ignore[attr-defined]


def new_crossing(db: Database) -> str:
    """A crossing of the test's own (IRQ facing SYR), open for both classes."""
    code = f"IQ-W{secrets.token_hex(3).upper()}"
    with db.transaction() as s:
        crossings.create_crossing(
            s,
            code=code,
            name=f"Test {code}",
            country="IRQ",
            neighbour_country="SYR",
            counterpart_name="Counterpart",
            timezone="Asia/Baghdad",
            actor=SYSTEM,
        )
    return code


@pytest.fixture
def crossing(web_database: Database) -> str:
    return new_crossing(web_database)


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Browserless:
    """An HTTP client of the pages: logs in through the form, keeps cookies, posts forms."""

    def __init__(self, server: LiveServer, users: dict[Role, str]) -> None:
        self.users = users
        self.http = httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)

    def login(self, role: Role) -> httpx.Response:
        token = csrf_of(self.http.get("/login").text)
        response = self.http.post(
            "/login",
            data={"username": self.users[role], "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 303, response.text
        return response

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return self.http.get(path, **kwargs)  # type: ignore[arg-type]

    def submit(
        self, page: str, action: str, data: dict[str, object], **kwargs: object
    ) -> httpx.Response:
        """Open `page`, take its CSRF token and post `data` to `action` as that page's form does."""
        token = csrf_of(self.http.get(page).text)
        return self.http.post(action, data={**data, "csrf_token": token}, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def client(server: LiveServer, users: dict[Role, str]) -> Iterator[Browserless]:
    c = Browserless(server, users)
    yield c
    c.close()


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: `make setup` installs Debian's chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    if not (VENDOR / "htmx.min.js").exists():
        pytest.fail("static/vendor is empty: run `make setup` (npm ci + scripts/build_assets.py)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A browser page whose console errors, script errors and foreign requests are recorded."""

    def __init__(self, browser, server: LiveServer, users: dict[Role, str]) -> None:
        self.server = server
        self.users = users
        self.host = urlparse(server.url).netloc
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.context = browser.new_context(base_url=server.url)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("response", self._response)

    def _route(self, route) -> None:
        url = urlparse(route.request.url)
        if url.scheme in ("http", "https") and url.netloc != self.host:
            self.foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def _console(self, message) -> None:
        # A refusal the page means to give (a form re-displayed with 401/403/409/422) is logged
        # by the browser as a failed load: not a script error. Missing files and 5xx still count.
        if message.type == "error" and not EXPECTED_REFUSAL.search(message.text):
            self.errors.append(f"console: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 500 or response.status == 404:
            self.errors.append(f"response {response.status}: {response.url}")

    def login(self, role: Role) -> None:
        self.page.goto("/login")
        self.page.fill("#login-username", self.users[role])
        self.page.fill("#login-password", PASSWORD)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        assert "/login" not in self.page.url

    def check(self) -> None:
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        assert self.errors == [], f"errors in the browser: {self.errors}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, server: LiveServer, users: dict[Role, str]) -> Iterator[Watched]:
    w = Watched(browser, server, users)
    yield w
    try:
        w.check()
    finally:
        w.close()


@pytest.fixture
def second_window(browser, server: LiveServer, users: dict[Role, str]) -> Iterator[Watched]:
    """Another user's browser, at the same time (the liaison beside the supervisor)."""
    w = Watched(browser, server, users)
    yield w
    try:
        w.check()
    finally:
        w.close()
