"""axe-core (npm, served from static/vendor) on every screen, in both languages: no serious or
critical violation. Visible focus is checked on the login form."""

from __future__ import annotations

import pytest

from borderpost.auth.permissions import Role
from tests.web import test_layouts as layouts
from tests.web.conftest import VENDOR, Watched
from tests.web.test_layouts import LANGUAGES, ROLES, SCREENS, open_screen, role_id

# The screens' records and one logged-in window per role, as the layouts test has them.
first_engine, records, window = layouts.first_engine, layouts.records, layouts.window

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


@pytest.mark.parametrize("role", ROLES, ids=role_id)
def test_no_serious_or_critical_violation_on_any_screen(
    window: Watched, records, role: Role | None
) -> None:
    """Every screen the role can open (from the router, as test_layouts), in both languages."""
    found = {}
    ran: list[tuple[str, str, int, int]] = []
    for screen in SCREENS[role]:
        for lang in LANGUAGES:
            open_screen(window, screen, records, lang)
            window.page.add_script_tag(url="/static/vendor/axe.min.js")
            result = window.page.evaluate(RUN_AXE)
            assert result["passed"] > 10, (screen.route, result)  # axe ran its rules
            if result["serious"]:
                found[(screen.route, lang)] = result["serious"]
            ran.append((screen.route, lang, result["passed"], result["all"]))
    assert found == {}, (found, ran)


def test_the_focused_field_is_visibly_marked(watched: Watched) -> None:
    page = watched.page
    page.goto("/login?lang=en")
    page.focus("#login-username")
    focused = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {shadow: s.boxShadow, outline: s.outlineStyle}; }"""
    )
    assert focused["shadow"] != "none" or focused["outline"] != "none", focused
