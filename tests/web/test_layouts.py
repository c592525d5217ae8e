"""Every screen each role can open, at a phone's, a tablet's and a desktop's width, in English and
Arabic, in Chromium: no sideways scrolling, and no serious or critical axe-core violation (each
screen is loaded once per language for both checks). The screens are read from the router: a new
page is covered as soon as it has an address here, and the test fails until it has one (or a
reason why it is not a screen). On a phone the data tables are cards whose cells name their
column, and the booth's main action stays within the thumb's reach.

Layout does not depend on the database engine: these run on the first engine of the session only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from borderpost.auth.permissions import Role, has_permission
from tests.conftest import ENGINES, DatabaseFactory
from tests.web import axe
from tests.web.conftest import VENDOR, Browserless, Watched
from tests.web.test_pages import page_routes
from tests.web.test_work_pages import arrival, fresh_number

pytestmark = pytest.mark.browser

QAIM = "IQ-QAIM"
WIDTHS = (390, 768, 1280)
LANGUAGES = ("en", "ar")
PHONE = {"width": 390, "height": 844}

# Every GET page of the router: the address to open ({movement} and {case} are made by `records`).
ADDRESSES = {
    "/": "/",
    "/login": "/login",
    "/admin/users": "/admin/users",
    "/audit": "/audit",
    "/audit/verify": "/audit/verify",
    "/audit/access": "/audit/access",
    "/crossings/{code}": f"/crossings/{QAIM}",
    "/crossings/{code}/supervisor": f"/crossings/{QAIM}/supervisor",
    "/crossings/{code}/assessments": f"/crossings/{QAIM}/assessments",
    "/crossings/{code}/security": f"/crossings/{QAIM}/security",
    "/crossings/{code}/booth": f"/crossings/{QAIM}/booth?movement={{movement}}",
    "/crossings/{code}/cargo": f"/crossings/{QAIM}/cargo",
    "/crossings/{code}/cargo/cases/{case_id}": f"/crossings/{QAIM}/cargo/cases/{{case}}",
    "/crossings/{code}/admission": f"/crossings/{QAIM}/admission",
    "/crossings/{code}/reports": f"/crossings/{QAIM}/reports?from=2025-06-01&to=2025-06-30",
    "/crossings/{code}/movements/{movement_id}/refusal": (
        f"/crossings/{QAIM}/movements/{{movement}}/refusal"
    ),
}
# Printed in both languages at once, whatever the page's language.
BILINGUAL = {"/crossings/{code}/movements/{movement_id}/refusal"}
NOT_SCREENS = {
    "/crossings/{code}/reports/statistics.csv": "a download",
    "/crossings/{code}/reports/statistics.xlsx": "a download",
    "/crossings/{code}/cargo/item-row": "a fragment: one more row of the declaration form",
    "/crossings/{code}/cargo/hs": "a fragment: the answer of the HS look-up",
    "/crossings/{code}/cargo/cases/{case_id}/photos/{photo_id}": "an image",
}


@dataclass(frozen=True)
class Screen:
    route: str
    address: str


def screens_by_role() -> dict[Role | None, list[Screen]]:
    """The screens each role may open (None: without a session), from the router."""
    routes = page_routes()
    unknown = [p for p, _ in routes if p not in ADDRESSES and p not in NOT_SCREENS]
    assert not unknown, f"pages with no address in test_layouts.ADDRESSES: {unknown}"
    shown = [(p, permission) for p, permission in routes if p in ADDRESSES]
    found: dict[Role | None, list[Screen]] = {None: []}
    for path, permission in shown:
        if permission is None:
            found[None].append(Screen(path, ADDRESSES[path]))
    for role in Role:
        found[role] = [
            Screen(path, ADDRESSES[path])
            for path, permission in shown
            if permission is not None and has_permission(role, permission)
        ]
    return found


SCREENS = screens_by_role()
ROLES = list(SCREENS)


def role_id(role: Role | None) -> str:
    return role.value if role else "anonymous"


@pytest.fixture(scope="session")
def first_engine(db_factory: DatabaseFactory) -> None:
    if db_factory.engine_name != ENGINES[0]:
        pytest.skip(f"layouts are checked on {ENGINES[0]} (they do not depend on the engine)")


@pytest.fixture(scope="session")
def records(server, users: dict[Role, str], first_engine) -> dict[str, str]:
    """The records the screens of one record show: a refused entry and a seizure case."""
    from tests.web.test_admission_pages import mrz, number

    client = Browserless(server, users)
    try:
        client.login(Role.IMMIGRATION)
        booth = f"/crossings/{QAIM}/booth"
        made = client.submit(
            booth, booth, {"mrz": mrz(number()), "direction": "entry", "travel_mode": "foot"}
        )
        assert made.status_code == 303, made.text[:500]
        movement = re.search(r"movement=(\w+)", made.headers["location"]).group(1)  # type: ignore[union-attr]
        client.login(Role.CUSTOMS)
        cargo = f"/crossings/{QAIM}/cargo"
        plate = "DMS-" + fresh_number()[1:7]
        added = client.submit(cargo, f"{cargo}/trucks", arrival(f"D-{fresh_number()}", plate))
        assert added.status_code == 303, added.text[:500]
        truck = re.search(rf'data-truck="(\w+)" data-plate="{plate}"', client.get(cargo).text)
        seizure = {"kind": "physical", "result": "seizure", "findings": "Captagon in the crates."}
        found = client.submit(cargo, f"{cargo}/trucks/{truck.group(1)}/inspections", seizure)  # type: ignore[union-attr]
        assert found.status_code == 303
        listed = client.get(cargo).text
        detained = listed[listed.index('id="detained"') :]
        case = re.search(rf'data-plate="{plate}">.*?/cases/(\w+)"', detained, re.S).group(1)  # type: ignore[union-attr]
    finally:
        client.close()
    return {"movement": movement, "case": case}


@pytest.fixture
def window(request, browser, server, users, records) -> Iterator[Watched]:
    """One logged-in browser context for all the screens of the role under test."""
    role = request.node.callspec.params["role"]
    w = Watched(browser, server, users)
    if role is not None:
        w.login(role)
    yield w
    try:
        w.check()
    finally:
        w.close()


def open_screen(window: Watched, screen: Screen, records: dict[str, str], lang: str) -> None:
    address = screen.address.format(**records)
    window.page.goto(f"{address}{'&' if '?' in address else '?'}lang={lang}")
    window.page.wait_for_load_state("load")
    if screen.route not in BILINGUAL:
        assert f'lang="{lang}"' in window.page.content()[:300], (address, lang)


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > width + 1
                 || e.getBoundingClientRect().left < -1)
    .filter(e => !e.closest('thead'))  // the phone's table heads are kept for screen readers only
    .slice(0, 3).map(e => e.tagName + '.' + e.className);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.fixture(scope="module", autouse=True)
def _axe_built() -> None:
    if not (VENDOR / "axe.min.js").exists():
        pytest.fail("static/vendor/axe.min.js is missing: run `make setup`")


@pytest.mark.parametrize("role", ROLES, ids=role_id)
def test_no_screen_scrolls_sideways_or_fails_axe(
    window: Watched, records, role: Role | None
) -> None:
    assert SCREENS[role], f"{role_id(role)} can open no screen"
    wide, inaccessible = [], {}
    for screen in SCREENS[role]:
        for lang in LANGUAGES:
            open_screen(window, screen, records, lang)
            for width in WIDTHS:  # the desktop's last: axe then sees the page as it first did
                window.page.set_viewport_size({"width": width, "height": 900})
                seen = window.page.evaluate(OVERFLOW)
                if seen["scroll"] > seen["width"]:
                    wide.append((screen.route, lang, width, seen))
            serious = axe.serious_violations(window.page)
            if serious:
                inaccessible[(screen.route, lang)] = serious
    assert wide == []
    assert inaccessible == {}
    # The check itself catches a screen that is too wide.
    window.page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    window.page.evaluate(  # through the CSSOM: the pages' CSP refuses inline style attributes
        """() => { const wide = document.createElement('div');
                   wide.style.inlineSize = '2000px'; wide.textContent = 'x';
                   document.body.append(wide); }"""
    )
    seen = window.page.evaluate(OVERFLOW)
    assert seen["scroll"] > seen["width"], seen


def test_every_role_and_the_public_have_their_screens() -> None:
    assert {s.route for s in SCREENS[None]} == {"/", "/login"}
    assert "/audit/access" in {s.route for s in SCREENS[Role.AUDITOR]}
    assert "/audit/access" not in {s.route for s in SCREENS[Role.ADMIN]}
    assert all("/crossings/{code}" in {s.route for s in SCREENS[r]} for r in Role)


def test_on_a_phone_a_table_is_cards_with_labelled_cells(
    browser, server, users, first_engine
) -> None:
    window = Watched(browser, server, users)
    try:
        window.page.set_viewport_size(PHONE)
        window.login(Role.SUPERVISOR)
        window.page.goto(f"/crossings/{QAIM}/supervisor?lang=en")
        row = window.page.locator("table.striped tbody tr").first
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        labels = row.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
        assert labels and all(labels), labels
        window.page.set_viewport_size({"width": 1200, "height": 900})
        assert row.evaluate("r => getComputedStyle(r).display") == "table-row"
        window.check()
    finally:
        window.close()


REACH = """() => {
  const button = document.querySelector('#booth-form button[type="submit"]');
  const box = button.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, height: box.height, width: box.width,
          viewport: window.innerHeight, page: document.documentElement.clientWidth,
          scrolled: window.scrollY};
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_booth_is_used_with_one_hand_on_a_phone(
    browser, server, users, records, lang: str
) -> None:
    """On a 390 px phone the booth's "record" button is wide, tall and in the lower half of the
    screen, on opening and while the form is scrolled (it is sticky at the screen's bottom)."""
    window = Watched(browser, server, users)
    try:
        window.page.set_viewport_size(PHONE)
        window.login(Role.IMMIGRATION)
        address = ADDRESSES["/crossings/{code}/booth"].format(**records)
        window.page.goto(f"{address}&lang={lang}")
        for scroll in (0, 250):
            window.page.evaluate(f"window.scrollTo(0, {scroll})")
            seen = window.page.evaluate(REACH)
            assert seen["scrolled"] == scroll, seen  # the page is long enough to scroll
            assert seen["viewport"] / 2 <= seen["top"], seen  # the lower half: the thumb's
            assert seen["bottom"] <= seen["viewport"], seen  # all of it on the screen
            assert seen["height"] >= 44 and seen["width"] >= seen["page"] * 0.8, seen
        window.check()
    finally:
        window.close()
