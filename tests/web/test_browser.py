"""The pages in Debian's chromium through Playwright. Every test also fails on a console error,
a script error or a request to any host but the server's (see the `watched` fixture)."""

from __future__ import annotations

import pytest

from borderpost.auth.permissions import Role
from tests.web.conftest import Watched

pytestmark = pytest.mark.browser


def submit(page, button: str) -> None:
    """Submit a form and wait for the page Post/Redirect/Get leads to, with its message."""
    with page.expect_navigation():
        page.click(button)
    page.locator(".flash-success").wait_for()


def test_the_public_page_in_english_and_in_arabic_right_to_left(watched: Watched) -> None:
    page = watched.page
    page.goto("/?lang=en")
    assert page.get_attribute("html", "dir") == "ltr"
    assert page.locator("h1").inner_text() == "Crossing status"
    card = page.locator('.public-crossing[data-code="IQ-QAIM"]')
    assert card.locator('[data-traffic="cargo"] .state-badge').inner_text() == "Open"

    page.click("a.lang-switch")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "ar"
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("h1").inner_text() == "حالة المنفذ"
    assert card.locator('[data-traffic="passenger"] .state-badge').inner_text() == "مفتوح"
    assert "منفذ القائم مفتوح" in card.locator(".statement").inner_text()
    # Right to left really: the page's text starts at the right edge.
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"

    page.goto("/")  # the cookie remembers the language
    assert page.get_attribute("html", "dir") == "rtl"
    page.goto("/?lang=en")


def test_login_through_the_form_with_the_keyboard(watched: Watched) -> None:
    page = watched.page
    page.goto("/login")
    page.fill("#login-username", watched.users[Role.SUPERVISOR])
    page.fill("#login-password", "wrong password!")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Wrong username or password." in page.locator(".form-error").inner_text()
    assert page.input_value("#login-username") == watched.users[Role.SUPERVISOR]

    watched.login(Role.SUPERVISOR)
    assert page.url.endswith("/crossings/IQ-QAIM/supervisor")
    assert watched.users[Role.SUPERVISOR] in page.locator(".who").inner_text()


def test_a_form_error_is_swapped_in_place(watched: Watched, crossing: str) -> None:
    page = watched.page
    watched.login(Role.SECURITY)
    page.goto(f"/crossings/{crossing}/security")
    page.fill("#incident-kind", "patrol")
    page.click("#incident-form button[type=submit]")
    error = page.locator('#incident-form [data-field="description"]')
    error.wait_for()
    assert error.inner_text() == "This field is required."
    assert page.url.endswith(f"/crossings/{crossing}/security")  # no navigation
    assert page.input_value("#incident-kind") == "patrol"  # what was typed is kept

    page.select_option("#incident-severity", "3")
    page.fill("#incident-occurred_at", "2025-06-20T10:30")
    page.fill("#incident-description", "Smuggling attempt stopped south of the crossing.")
    submit(page, "#incident-form button[type=submit]")
    assert "Smuggling attempt stopped" in page.locator("table.incidents").inner_text()


def test_a_status_change_with_its_joint_assessment(
    watched: Watched, second_window: Watched, crossing: str
) -> None:
    supervisor, liaison = watched.page, second_window.page
    watched.login(Role.SUPERVISOR)
    page_url = f"/crossings/{crossing}/supervisor"
    supervisor.goto(page_url)

    # Close both classes for security.
    supervisor.check('#status-form input[value="cargo"]')
    supervisor.check('#status-form input[value="passenger"]')
    supervisor.select_option("#status-state", "closed")
    supervisor.select_option("#status-reason_category", "security")
    supervisor.fill("#status-reason", "Clashes near the crossing.")
    submit(supervisor, "#status-form button[type=submit]")
    assert supervisor.get_attribute('[data-traffic="cargo"]', "data-state") == "closed"

    # Reopening without a concluded assessment is refused, in place.
    supervisor.check('#status-form input[value="cargo"]')
    supervisor.select_option("#status-state", "open")
    supervisor.fill("#status-reason", "Calm again.")
    supervisor.click("#status-form button[type=submit]")
    refusal = supervisor.locator("#status-form .form-error")
    refusal.wait_for()
    assert "joint assessment" in refusal.inner_text()

    # Open the joint assessment and sign it for Iraq.
    supervisor.click("details summary")
    supervisor.fill("#assessment-title", "Joint assessment after the clashes")
    supervisor.fill("#assessment-findings", "Both sides under stable control.")
    supervisor.select_option("#assessment-recommendation", "reopen")
    supervisor.check('#assessment-form input[value="cargo"]')
    supervisor.check('#assessment-form input[value="passenger"]')
    submit(supervisor, "#assessment-form button[type=submit]")
    assert supervisor.url.endswith(f"/crossings/{crossing}/assessments")
    supervisor.fill("input[name=official_name]", "Col. Karim Hassan")
    supervisor.fill("input[name=official_role]", "Director of the crossing")
    supervisor.select_option("select[name=decision]", "concur")
    submit(supervisor, ".sign-form button[type=submit]")
    assert supervisor.locator("article.assessment").get_attribute("data-state") == "open"

    # The Syrian liaison reads it and signs for Syria, in Arabic.
    second_window.login(Role.LIAISON)
    liaison.goto(f"/crossings/{crossing}/assessments?lang=ar")
    assert liaison.get_attribute("html", "dir") == "rtl"
    assert "Both sides under stable control." in liaison.locator(".findings").inner_text()
    liaison.fill("input[name=official_name]", "Brig. Samer Haddad")
    liaison.fill("input[name=official_role]", "Border liaison")
    liaison.select_option("select[name=decision]", "concur")
    submit(liaison, ".sign-form button[type=submit]")
    assert liaison.locator("article.assessment").get_attribute("data-state") == "concluded"

    # Now the supervisor reopens both classes with the concluded assessment.
    supervisor.goto(page_url)
    supervisor.check('#status-form input[value="cargo"]')
    supervisor.check('#status-form input[value="passenger"]')
    supervisor.select_option("#status-state", "open")
    supervisor.select_option("#status-reason_category", "security")
    supervisor.fill("#status-reason", "Reopened on the joint assessment.")
    supervisor.select_option("#status-assessment_id", index=1)
    submit(supervisor, "#status-form button[type=submit]")
    assert supervisor.get_attribute('[data-traffic="cargo"]', "data-state") == "open"
    assert supervisor.get_attribute('[data-traffic="passenger"]', "data-state") == "open"
    assert "with a joint assessment" in supervisor.locator("table").last.inner_text()


def test_a_chart_is_drawn_on_the_dashboard(watched: Watched) -> None:
    page = watched.page
    watched.login(Role.ANALYST)
    page.goto("/crossings/IQ-QAIM?until=2024-12-19")
    canvas = page.locator("canvas[data-chart]").first
    page.wait_for_function(
        "() => document.querySelector('canvas[data-chart]').dataset.drawn === 'true'"
    )
    assert page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart]')) !== undefined"
    )
    # Something was painted: the canvas is not blank.
    painted = page.evaluate(
        """() => { const c = document.querySelector('canvas[data-chart]');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
    )
    assert painted > 100
    assert canvas.bounding_box()["height"] > 100


def test_a_role_without_the_right_sees_not_allowed(watched: Watched) -> None:
    page = watched.page
    watched.login(Role.AUDITOR)
    response = page.goto("/crossings/IQ-QAIM/supervisor")
    assert response is not None and response.status == 403
    assert "Not allowed" in page.locator("h1").inner_text()
