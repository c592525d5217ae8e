"""axe-core (npm, served from static/vendor) on every screen, in both languages: no serious or
critical violation. Visible focus is checked on the login form."""

from __future__ import annotations

import pytest

from borderpost.auth.permissions import Role
from tests.web.conftest import VENDOR, Watched
from tests.web.test_layouts import SCREENS

pytestmark = pytest.mark.browser

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return {passed: result.passes.length, all: result.violations.length, serious: result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))};
}"""


@pytest.fixture(scope="module", autouse=True)
def _axe_built() -> None:
    if not (VENDOR / "axe.min.js").exists():
        pytest.fail("static/vendor/axe.min.js is missing: run `make setup`")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_serious_or_critical_violation_on_any_screen(browser, server, users, lang: str):
    windows: dict[Role | None, Watched] = {}
    found = {}
    ran: list[tuple[str, int, int]] = []
    try:
        for role, path in SCREENS:
            if role not in windows:
                windows[role] = Watched(browser, server, users)
                if role is not None:
                    windows[role].login(role)
            page = windows[role].page
            page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
            page.wait_for_load_state("load")
            page.add_script_tag(url="/static/vendor/axe.min.js")
            result = page.evaluate(RUN_AXE)
            assert result["passed"] > 10, (path, result)  # axe ran its rules
            if result["serious"]:
                found[path] = result["serious"]
            ran.append((path, result["passed"], result["all"]))
        assert found == {}, (found, ran)
        for window in windows.values():
            window.check()
    finally:
        for window in windows.values():
            window.close()


def test_the_focused_field_is_visibly_marked(watched: Watched) -> None:
    page = watched.page
    page.goto("/login?lang=en")
    page.focus("#login-username")
    focused = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {shadow: s.boxShadow, outline: s.outlineStyle}; }"""
    )
    assert focused["shadow"] != "none" or focused["outline"] != "none", focused
