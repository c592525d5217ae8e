"""Every screen at a phone's and a tablet's width, in Chromium: no sideways scrolling, and on the
phone the data tables are cards whose cells name their column."""

from __future__ import annotations

import pytest

from borderpost.auth.permissions import Role
from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

QAIM = "IQ-QAIM"
SCREENS = [
    (None, "/"),
    (Role.SUPERVISOR, f"/crossings/{QAIM}"),
    (Role.SUPERVISOR, f"/crossings/{QAIM}/supervisor"),
    (Role.SUPERVISOR, f"/crossings/{QAIM}/assessments"),
    (Role.SECURITY, f"/crossings/{QAIM}/security"),
    (Role.IMMIGRATION, f"/crossings/{QAIM}/booth"),
    (Role.CUSTOMS, f"/crossings/{QAIM}/cargo"),
    (Role.ANALYST, f"/crossings/{QAIM}/reports?from=2025-06-01&to=2025-06-30"),
]
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > width + 1
                 || e.getBoundingClientRect().left < -1)
    .filter(e => !e.closest('thead'))  // the phone's table heads are kept for screen readers only
    .slice(0, 3).map(e => e.tagName + '.' + e.className);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.mark.parametrize("width", [390, 768])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_screen_scrolls_sideways(browser, server, users, width: int, lang: str) -> None:
    windows: dict[Role | None, Watched] = {}
    try:
        for role, path in SCREENS:
            if role not in windows:
                windows[role] = Watched(browser, server, users)
                windows[role].page.set_viewport_size({"width": width, "height": 844})
                if role is not None:
                    windows[role].login(role)
            page = windows[role].page
            page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
            page.wait_for_load_state("load")
            seen = page.evaluate(OVERFLOW)
            assert seen["scroll"] <= seen["width"], (path, width, lang, seen)
        for window in windows.values():
            window.check()
    finally:
        for window in windows.values():
            window.close()


def test_on_a_phone_a_table_is_cards_with_labelled_cells(browser, server, users) -> None:
    window = Watched(browser, server, users)
    try:
        window.page.set_viewport_size({"width": 390, "height": 844})
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
