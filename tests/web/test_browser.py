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
    canvas = page.locator('figure[data-key="incidents"] canvas')
    page.wait_for_function(
        "() => document.querySelector('figure[data-key=incidents] canvas').dataset.drawn === 'true'"
    )
    incidents = "document.querySelector('figure[data-key=incidents] canvas')"
    assert page.evaluate(f"() => Chart.getChart({incidents}) !== undefined")
    # Something was painted: the canvas is not blank.
    painted = page.evaluate(
        """() => { const c = document.querySelector('figure[data-key=incidents] canvas');
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


# --- the working pages ----------------------------------------------------------------------


def scan(page, mrz: str, *, submit_key: str = "Enter") -> None:
    """Type the MRZ as a scanner does: each line then Enter; the last key submits."""
    area = page.locator("#booth-mrz")
    area.focus()
    lines = mrz.split("\n")
    for line in lines[:-1]:
        page.keyboard.type(line)
        page.keyboard.press("Enter")
    page.keyboard.type(lines[-1])
    with page.expect_navigation():
        page.keyboard.press(submit_key)


def test_the_booth_admits_a_passport_and_refers_a_listed_name_keyboard_only(
    watched: Watched, crossing: str
) -> None:
    from tests.web.test_work_pages import LISTED, fresh_number, passport

    page = watched.page
    watched.login(Role.IMMIGRATION)
    assert page.url.endswith("/crossings/IQ-QAIM/booth")  # the immigration officer's start page
    page.goto(f"/crossings/{crossing}/booth")
    assert page.evaluate("document.activeElement.id") == "booth-mrz"

    scan(page, passport(fresh_number()))
    page.locator("#decision .movement").wait_for()
    assert page.get_attribute("#decision .movement", "data-decision") == "admitted"
    assert page.evaluate("document.activeElement.id") == "booth-mrz"  # ready for the next one
    assert page.input_value("#booth-mrz") == ""

    given, surname, born, state = LISTED
    scan(
        page,
        passport(fresh_number(), surname, given, born=born, state=state),
        submit_key="Control+Enter",
    )
    assert page.get_attribute("#decision .movement", "data-decision") == "referred"
    assert "watchlist_possible_match" in page.locator("#decision .reasons").inner_text()
    assert "DW-01" in page.locator("#decision table.matches").inner_text()

    # A check digit that fails is shown in place, naming the field; the scan is kept.
    line1, line2 = passport(fresh_number()).split("\n")
    spoiled = line2[:9] + str((int(line2[9]) + 1) % 10) + line2[10:]
    page.locator("#booth-mrz").focus()
    page.keyboard.type(line1)
    page.keyboard.press("Enter")
    page.keyboard.type(spoiled)
    page.keyboard.press("Enter")
    error = page.locator('#booth-form [data-field="mrz"]')
    error.wait_for()
    assert "the document number" in error.inner_text()
    # The previous traveller's decision is gone: it is not this document's.
    assert page.locator("#decision .movement").count() == 0
    assert page.input_value("#booth-mrz") == f"{line1}\n{spoiled}"
    assert page.evaluate("document.activeElement.id") == "booth-mrz"


def test_a_truck_registered_and_released_on_the_cargo_page(watched: Watched, crossing: str) -> None:
    from tests.web.test_work_pages import fresh_number, passport

    page = watched.page
    watched.login(Role.CUSTOMS)
    page.goto(f"/crossings/{crossing}/cargo")
    plate = "DMS-" + fresh_number()[1:7]
    page.select_option("#arrival-direction", "inbound")
    page.fill("#arrival-plate", plate)
    page.fill("#arrival-registration_country", "SYR")
    page.fill("#arrival-driver_mrz", passport(fresh_number(), "KHALIL", "OMAR"))
    page.fill("#arrival-number", f"D-{fresh_number()}")
    page.select_option("#arrival-regime", "import")
    page.fill("#arrival-exporter", "Damascus Cement Co")
    page.fill("#arrival-importer", "Anbar Building Supplies")
    page.fill("#arrival-origin_country", "SYR")
    page.fill("#arrival-destination_country", "IRQ")

    # The HS code looked up by words: the codes found are offered, the description shown.
    rows = page.locator("#items tbody tr")
    first = rows.nth(0)
    first.locator('input[name="hs_code[]"]').press_sequentially("portland cement", delay=20)
    page.locator('#items datalist option[value="252329"]').first.wait_for(state="attached")
    first.locator('input[name="hs_code[]"]').fill("")
    first.locator('input[name="hs_code[]"]').press_sequentially("252329", delay=20)
    found = first.locator(".hs-found")
    found.wait_for()
    assert "252329" in found.get_attribute("data-code")
    first.locator('input[name="description[]"]').fill("Portland cement")
    first.locator('input[name="quantity[]"]').fill("24")
    first.locator('select[name="unit[]"]').select_option("t")
    first.locator('input[name="gross_kg[]"]').fill("24000")
    first.locator('input[name="value[]"]').fill("2400")
    first.locator('input[name="currency[]"]').fill("USD")

    page.click("#add-item")  # a second row, left empty: ignored
    page.wait_for_function("() => document.querySelectorAll('#items tbody tr').length === 2")

    with page.expect_navigation():
        page.click("#arrival-form button[type=submit]")
    assert f"Truck {plate} registered" in page.locator(".flash-success").inner_text()
    queued = page.locator(f'table.queue tr[data-plate="{plate}"]')
    assert queued.get_attribute("data-state") == "queued"

    with page.expect_navigation():
        queued.locator(".call-form button").click()
    serving = page.locator(f'table.in-service tr[data-plate="{plate}"]')
    serving.locator('select[name="kind"]').select_option("physical")
    serving.locator('select[name="result"]').select_option("cleared")
    with page.expect_navigation():
        serving.locator(".inspection-form button[type=submit]").click()
    # Release is offered once the duties are paid: the receipt recorded in the truck's row.
    serving = page.locator(f'table.in-service tr[data-plate="{plate}"]')
    assert serving.locator(".release-form").count() == 0
    serving.locator('.payment-form input[name="receipt_number"]').fill(f"PB-{fresh_number()}")
    with page.expect_navigation():
        serving.locator(".payment-form button[type=submit]").click()
    with page.expect_navigation():
        page.locator(f'table.in-service tr[data-plate="{plate}"] .release-form button').click()
    assert f"Truck {plate} released." in page.locator(".flash-success").inner_text()
    recent = page.locator(f'table.recent-trucks tr[data-plate="{plate}"]')
    assert recent.get_attribute("data-state") == "released"


def test_the_traffic_charts_are_drawn_on_the_dashboard_with_real_traffic(
    watched: Watched, client, crossing: str
) -> None:
    from tests.web.test_work_pages import seed_traffic

    seed_traffic(client, crossing)
    page = watched.page
    watched.login(Role.SUPERVISOR)
    page.goto(f"/crossings/{crossing}")
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".every(c => c.dataset.drawn === 'true')"
    )
    totals = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('figure.chart')].map(f => {
          const chart = Chart.getChart(f.querySelector('canvas'));
          const add = (a, b) => a + b;
          const sum = chart.data.datasets.reduce((t, d) => t + d.data.reduce(add, 0), 0);
          return [f.dataset.key, sum]; }))"""
    )
    assert totals["trucks"] == 2
    assert totals["passengers"] == 3
    assert totals["chapters"] > 0  # 48 tonnes of cement
    box = page.locator('figure[data-key="trucks"] canvas').bounding_box()
    assert box and box["height"] > 100


def test_reports_in_arabic_right_to_left(watched: Watched) -> None:
    page = watched.page
    watched.login(Role.ANALYST)
    assert page.url.endswith("/crossings/IQ-QAIM/reports")
    page.goto("/crossings/IQ-QAIM/reports?lang=ar&from=2025-06-01&to=2025-06-30")
    assert page.get_attribute("html", "dir") == "rtl"
    page.wait_for_function(
        "() => document.querySelectorAll('canvas[data-drawn=\"true\"]').length === 3"
    )
    page.goto("/crossings/IQ-QAIM/reports?lang=en")
