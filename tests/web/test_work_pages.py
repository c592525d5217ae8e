"""The working pages over HTTP: the booth, the customs page, group arrivals, referred cases,
reports and their exports. Each form re-displays with the field's error; actions go through the
services (Post/Redirect/Get)."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from borderpost.auth.permissions import Role
from borderpost.traveller.mrz_build import build_td3
from tests.web.conftest import Browserless

QAIM = "IQ-QAIM"
LISTED = ("Marwan Khalaf Dheyab", "al-Mashhadani", date(1979, 3, 14), "IRQ")  # demo watchlist


def passport(number: str, surname: str = "HADDAD", given: str = "SAMER", **kw) -> str:
    return build_td3(
        issuing_state=kw.get("state", "IRQ"),
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=kw.get("state", "IRQ"),
        birth_date=kw.get("born", date(1980, 1, 1)),
        sex="M",
        expiry_date=kw.get("expires", date(2031, 1, 1)),
    )


def fresh_number() -> str:
    import secrets

    return "N" + secrets.token_hex(4).upper()


def movement_id(location: str) -> str:
    match = re.search(r"movement=([A-Za-z0-9]+)", location)
    assert match, location
    return match.group(1)


# --- the booth -----------------------------------------------------------------------------


def test_the_booth_records_a_passport_and_shows_the_decision(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.IMMIGRATION)
    page = f"/crossings/{crossing}/booth"
    response = client.submit(
        page, page, {"mrz": passport(fresh_number()), "direction": "entry", "travel_mode": "car"}
    )
    assert response.status_code == 303, response.text[:800]
    shown = client.get(response.headers["location"])
    assert 'data-decision="admitted"' in shown.text
    assert "HADDAD" in shown.text
    assert '<option value="car" selected' in shown.text  # the mode is kept for the next one


def test_the_booth_refers_a_listed_name_with_the_match(client: Browserless, crossing: str) -> None:
    client.login(Role.IMMIGRATION)
    page = f"/crossings/{crossing}/booth"
    given, surname, born, state = LISTED
    mrz = passport(fresh_number(), surname, given, born=born, state=state)
    response = client.submit(page, page, {"mrz": mrz, "direction": "entry", "travel_mode": "foot"})
    shown = client.get(response.headers["location"])
    assert 'data-decision="referred"' in shown.text
    assert "watchlist_possible_match" in shown.text
    assert "DW-01" in shown.text


def test_a_bad_check_digit_is_shown_under_the_mrz_naming_the_field(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.IMMIGRATION)
    page = f"/crossings/{crossing}/booth"
    line1, line2 = passport(fresh_number()).split("\n")
    spoiled = line2[:9] + str((int(line2[9]) + 1) % 10) + line2[10:]  # document number check
    for htmx in (False, True):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.submit(
            page,
            page,
            {"mrz": f"{line1}\n{spoiled}", "direction": "entry", "travel_mode": "foot"},
            headers=headers,
        )
        assert response.status_code == 422
        error = re.search(r'data-field="mrz">([^<]*)<', response.text)
        assert error and "the document number" in error.group(1)
        assert html.escape(spoiled) in response.text  # what was scanned is kept


BOOTH_CASES = [
    ("mrz", "", "This field is required."),
    ("mrz", "P" * 201, "Too long"),
    ("mrz", "NOT AN MRZ", "The MRZ cannot be read"),
    ("direction", "", "This field is required."),
    ("direction", "sideways", "Choose one of the options."),
    ("travel_mode", "camel", "Choose one of the options."),
]


@pytest.mark.parametrize(("field", "bad", "message"), BOOTH_CASES)
def test_the_booth_form_redisplays_with_the_fields_error(
    client: Browserless, crossing: str, field: str, bad: str, message: str
) -> None:
    client.login(Role.IMMIGRATION)
    page = f"/crossings/{crossing}/booth"
    data = {"mrz": passport(fresh_number()), "direction": "entry", "travel_mode": "foot"}
    response = client.submit(page, page, {**data, field: bad})
    assert response.status_code == 422, response.text[:500]
    error = re.search(rf'data-field="{field}">([^<]*)<', response.text)
    assert error and message in error.group(1), error and error.group(1)


# --- referred cases ----------------------------------------------------------------------------


def test_the_supervisor_resolves_a_referred_movement(client: Browserless, crossing: str) -> None:
    client.login(Role.IMMIGRATION)
    booth = f"/crossings/{crossing}/booth"
    given, surname, born, state = LISTED
    mrz = passport(fresh_number(), surname, given, born=born, state=state)
    response = client.submit(
        booth, booth, {"mrz": mrz, "direction": "entry", "travel_mode": "foot"}
    )
    mid = movement_id(response.headers["location"])
    client.login(Role.SUPERVISOR)
    page = f"/crossings/{crossing}/supervisor"
    assert f'data-movement="{mid}"' in client.get(page).text
    action = f"{page}/referrals/{mid}"
    empty = client.submit(page, action, {"decision": "admitted", "note": ""})
    assert empty.status_code == 422
    assert re.search(r'data-field="note">This field is required.<', empty.text)
    long = client.submit(page, action, {"decision": "refused", "note": "n" * 2001})
    assert long.status_code == 422 and "Too long" in long.text
    wrong = client.submit(page, action, {"decision": "maybe", "note": "x"})
    assert wrong.status_code == 422
    assert 'data-field="decision">Choose one of the options.<' in wrong.text
    ok = client.submit(page, action, {"decision": "refused", "note": "Identity confirmed."})
    assert ok.status_code == 303
    after = client.get(page)
    assert "Refused." in after.text
    assert f'data-movement="{mid}"' not in after.text
    again = client.submit(page, action, {"decision": "admitted", "note": "twice"})
    assert again.status_code == 409


# --- customs ----------------------------------------------------------------------------------


def arrival(declaration: str, truck_plate: str, **extra: object) -> dict[str, object]:
    return {
        "direction": "inbound",
        "plate": truck_plate,
        "registration_country": "SYR",
        "driver_mrz": passport(fresh_number(), "KHALIL", "OMAR"),
        "number": declaration,
        "regime": "import",
        "exporter": "Damascus Cement Co",
        "importer": "Anbar Building Supplies",
        "origin_country": "SYR",
        "destination_country": "IRQ",
        "hs_code[]": ["252329"],
        "description[]": ["Portland cement"],
        "quantity[]": ["24"],
        "unit[]": ["t"],
        "gross_kg[]": ["24000"],
        "value[]": ["2400"],
        "currency[]": ["USD"],
    } | extra


def test_a_truck_is_registered_queued_and_released(client: Browserless, crossing: str) -> None:
    client.login(Role.CUSTOMS)
    page = f"/crossings/{crossing}/cargo"
    plate = "DMS-" + fresh_number()[1:7]
    response = client.submit(page, f"{page}/trucks", arrival(f"D-{fresh_number()}", plate))
    assert response.status_code == 303, response.text[:1500]
    shown = client.get(page)
    assert f"Truck {plate} registered" in shown.text
    truck = re.search(rf'data-truck="(\w+)" data-plate="{plate}" data-state="queued"', shown.text)
    assert truck, "the truck is in the queue"
    tid = truck.group(1)
    assert client.submit(page, f"{page}/trucks/{tid}/call", {}).status_code == 303
    inspection = client.submit(
        page, f"{page}/trucks/{tid}/inspections", {"kind": "documentary", "result": "discrepancy"}
    )
    assert inspection.status_code == 422  # findings are required for a discrepancy
    assert 'data-field="findings"' in inspection.text, re.findall(
        r"field-error[^<]*<|form-error[^<]*<", inspection.text
    )
    ok = client.submit(
        page, f"{page}/trucks/{tid}/inspections", {"kind": "physical", "result": "cleared"}
    )
    assert ok.status_code == 303
    unpaid = client.get(page).text
    row = unpaid[unpaid.index(f'data-truck="{tid}"') :]
    assert 'data-missing="payment-required"' in row.split("</tr>")[0]
    assert "release-form" not in row.split("</tr>")[0]  # release is offered once allowed
    due = re.search(r'data-due="([\d.]+)"', row).group(1)
    paid = client.submit(
        page, f"{page}/trucks/{tid}/payments",
        {"receipt_number": "PG-" + fresh_number(), "amount": due, "currency": "IQD",
         "method": "cash"},
    )  # fmt: skip
    assert paid.status_code == 303, paid.text[:1500]
    released = client.submit(page, f"{page}/trucks/{tid}/release", {})
    assert released.status_code == 303
    final = client.get(page)
    assert f'data-plate="{plate}" data-state="released"' in final.text


ARRIVAL_CASES = [
    ("plate", "", "This field is required."),
    ("plate", "P" * 21, "Too long"),
    ("plate", "<script>", "Not in the expected format."),
    ("registration_country", "", "This field is required."),
    ("registration_country", "XXQ", ""),
    ("driver_mrz", "", "This field is required."),
    ("driver_mrz", "GARBAGE", ""),
    ("number", "", "This field is required."),
    ("number", "N" * 41, ""),
    ("regime", "smuggling", "Choose one of the options."),
    ("exporter", "", "This field is required."),
    ("exporter", "e" * 201, "Too long"),
    ("hs_code[]", ["999999"], ""),
    ("hs_code[]", ["cement"], ""),
    ("quantity[]", ["lots"], "Enter a number."),
    ("gross_kg[]", ["-5"], ""),
    ("currency[]", ["XXX1"], ""),
]


@pytest.mark.parametrize(("field", "bad", "message"), ARRIVAL_CASES)
def test_the_arrival_form_redisplays_with_the_fields_error(
    client: Browserless, crossing: str, field: str, bad: object, message: str
) -> None:
    client.login(Role.CUSTOMS)
    page = f"/crossings/{crossing}/cargo"
    data = arrival(f"D-{fresh_number()}", "TRK-1", **{field: bad})
    response = client.submit(page, f"{page}/trucks", data)
    assert response.status_code == 422, response.text[:800]
    name = field.removesuffix("[]") + ("-0" if field.endswith("[]") else "")
    error = re.search(rf'data-field="{re.escape(name)}">([^<]*)<', response.text)
    assert error and message in error.group(1), (name, error and error.group(1))


def test_a_declaration_needs_an_item(client: Browserless, crossing: str) -> None:
    client.login(Role.CUSTOMS)
    page = f"/crossings/{crossing}/cargo"
    blank = {k: [""] for k in ("hs_code[]", "description[]", "quantity[]", "gross_kg[]")}
    data = arrival(f"D-{fresh_number()}", "TRK-2", **blank, **{"value[]": [""], "currency[]": [""]})
    response = client.submit(page, f"{page}/trucks", data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert response.text.lstrip().startswith("<form")
    assert 'data-field="items"' in response.text


def test_the_hs_look_up_by_code_and_by_words(client: Browserless) -> None:
    client.login(Role.CUSTOMS)
    by_code = client.get(f"/crossings/{QAIM}/cargo/hs", params={"hs_code[]": "2523.29"})
    assert by_code.status_code == 200
    assert 'data-code="252329"' in by_code.text and "cement" in by_code.text.lower()
    by_words = client.get(f"/crossings/{QAIM}/cargo/hs", params={"q": "portland cement"})
    assert '<option value="252329"' in by_words.text
    row = client.get(f"/crossings/{QAIM}/cargo/item-row")
    assert row.status_code == 200 and 'name="hs_code[]"' in row.text


# --- group arrivals --------------------------------------------------------------------------

CSV = (
    "surname,given_names,rank,unit,custody_status\n"
    "Haddad,Samer,Private,17th Division,in_custody\n"
    "Khalil,Omar,Sergeant,17th Division,in_hospital\n"
    "al-Mashhadani,Marwan Khalaf Dheyab,Private,4th Brigade,in_custody\n"
)


def open_group(client: Browserless, crossing: str) -> tuple[str, str]:
    page = f"/crossings/{crossing}/security"
    response = client.submit(
        page,
        f"{page}/groups",
        {
            "category": "surrendering_military",
            "description": "Soldiers crossing to surrender.",
            "arrived_at": "2025-06-20T06:00",
        },
    )
    assert response.status_code == 303, response.text[:800]
    group = re.search(r"group=(\w+)", response.headers["location"])
    assert group
    return page, group.group(1)


def test_a_group_arrival_registered_uploaded_counted_and_handed_over(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.SECURITY)
    page, gid = open_group(client, crossing)
    shown = f"{page}?group={gid}"
    upload = client.submit(
        shown,
        f"{page}/groups/{gid}/persons",
        {},
        files={"file": ("persons.csv", CSV.encode(), "text/csv")},
    )
    assert upload.status_code == 303, upload.text[:800]
    text = client.get(shown).text
    assert "3 persons registered, 1 possible watchlist matches." in text
    counts = dict(re.findall(r'data-custody="(\w+)"><p class="figure">(\d+)<', text))
    assert counts == {
        "in_custody": "2",
        "in_hospital": "1",
        "released": "0",
        "handed_over": "0",
        "total": "3",
    }
    people = re.findall(r'data-person="(\w+)" data-custody="(\w+)"', text)
    chosen = [pid for pid, custody in people if custody == "in_custody"]
    handover = {"to": "Iraqi Army, Anbar Operations Command", "handed_over_at": "2025-06-20T12:00"}
    response = client.submit(
        shown, f"{page}/groups/{gid}/handovers", handover | {"person_ids": chosen}
    )
    assert response.status_code == 303
    text = client.get(shown).text
    assert "2 persons handed over to Iraqi Army" in text
    assert '<article class="count" data-custody="handed_over"><p class="figure">2<' in text
    listed = re.findall(r'data-person="(\w+)" data-custody="(\w+)"', text)
    assert [custody for _, custody in listed] == ["in_hospital"]  # only who can still go
    twice = client.submit(
        shown, f"{page}/groups/{gid}/handovers", handover | {"person_ids": chosen}
    )
    assert twice.status_code == 409  # a person is handed over once only
    assert 'class="form-error"' in twice.text or 'data-field="person_ids"' in twice.text


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("category", "", "This field is required."),
        ("category", "tourists", "Choose one of the options."),
        ("description", "", "This field is required."),
        ("description", "d" * 5001, "Too long"),
        ("arrived_at", "", "Enter a valid date and time."),
        ("arrived_at", "dawn", "Enter a valid date and time."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_the_group_form_redisplays_with_the_fields_error(
    client: Browserless, crossing: str, field: str, bad: str, message: str, htmx: bool
) -> None:
    client.login(Role.SUPERVISOR)
    page = f"/crossings/{crossing}/security"
    data = {"category": "refugees", "description": "Families", "arrived_at": "2025-06-20T06:00"}
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.submit(page, f"{page}/groups", {**data, field: bad}, headers=headers)
    assert response.status_code == 422
    error = re.search(rf'data-field="{field}">([^<]*)<', response.text)
    assert error and message in error.group(1)
    assert response.text.lstrip().startswith("<form") == htmx


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "This field is required."),
        (b"", "empty file"),
        (b"name,rank\nHaddad,Private\n", "the header must name the columns"),
        (b"surname,birth_date\nHaddad,yesterday\n", "birth_date"),
        (b"surname\n" + b"S" * 101 + b"\n", "surname"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
    ],
)
def test_a_bad_csv_is_refused_whole_with_the_reason(
    client: Browserless, crossing: str, content: bytes | None, message: str
) -> None:
    client.login(Role.SECURITY)
    page, gid = open_group(client, crossing)
    files = {"file": ("persons.csv", content, "text/csv")} if content is not None else None
    data = {} if files else {"file": ""}
    response = client.submit(
        f"{page}?group={gid}", f"{page}/groups/{gid}/persons", data, files=files
    )
    assert response.status_code == 422, response.text[:500]
    error = re.search(r'data-field="file">([^<]*)<', response.text)
    assert error and message in html.unescape(error.group(1)), error and error.group(1)


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("person_ids", [], "Choose at least one."),
        ("to", "", "This field is required."),
        ("to", "t" * 201, "Too long"),
        ("handed_over_at", "soon", "Enter a valid date and time."),
        ("note", "n" * 2001, "Too long"),
    ],
)
def test_the_handover_form_redisplays_with_the_fields_error(
    client: Browserless, crossing: str, field: str, bad: object, message: str
) -> None:
    client.login(Role.SECURITY)
    page, gid = open_group(client, crossing)
    shown = f"{page}?group={gid}"
    client.submit(
        shown,
        f"{page}/groups/{gid}/persons",
        {},
        files={"file": ("p.csv", CSV.encode(), "text/csv")},
    )
    people = re.findall(r'data-person="(\w+)" data-custody="in_custody"', client.get(shown).text)
    data = {"person_ids": people[:1], "to": "Army", "handed_over_at": "2025-06-20T12:00"}
    response = client.submit(shown, f"{page}/groups/{gid}/handovers", {**data, field: bad})
    assert response.status_code == 422, response.text[:500]
    error = re.search(rf'data-field="{field}">([^<]*)<', response.text)
    assert error and message in error.group(1), error and error.group(1)


# --- reports and the dashboard -----------------------------------------------------------------


def seed_traffic(client: Browserless, crossing: str) -> None:
    """Real traffic through the pages: two trucks and three travellers today."""
    client.login(Role.CUSTOMS)
    cargo = f"/crossings/{crossing}/cargo"
    for n in range(2):
        plate = f"SEED-{n}{fresh_number()[1:5]}"
        response = client.submit(cargo, f"{cargo}/trucks", arrival(f"S-{fresh_number()}", plate))
        assert response.status_code == 303, response.text[:500]
    client.login(Role.IMMIGRATION)
    booth = f"/crossings/{crossing}/booth"
    for direction in ("entry", "entry", "exit"):
        mrz = passport(fresh_number())
        data = {"mrz": mrz, "direction": direction, "travel_mode": "bus"}
        assert client.submit(booth, booth, data).status_code == 303


def test_reports_show_the_period_and_export_csv_and_xlsx(
    client: Browserless, crossing: str
) -> None:
    seed_traffic(client, crossing)
    client.login(Role.ANALYST)
    page = client.get(f"/crossings/{crossing}/reports")
    assert page.status_code == 200
    assert re.search(r'data-figure="trucks"><p class="figure">2<', page.text)
    assert re.search(r'data-figure="movements"><p class="figure">3<', page.text)
    assert page.text.count("<canvas data-chart=") == 3
    exported = client.get(f"/crossings/{crossing}/reports/statistics.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "Summary,cargo,trucks_inbound,2" in exported.text
    assert "Summary,passengers,entries,2" in exported.text
    assert "HS chapters,25," in exported.text
    book = load_workbook(
        io.BytesIO(client.get(f"/crossings/{crossing}/reports/statistics.xlsx").content)
    )
    assert book.sheetnames == ["Summary", "HS chapters", "Nationalities", "Daily"]
    summary = {(r[0], r[1]): r[2] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary[("cargo", "trucks_inbound")] == 2
    assert summary[("passengers", "exits")] == 1
    daily_rows = list(book["Daily"].iter_rows(min_row=2, values_only=True))
    assert len(daily_rows) == 14 and sum(r[5] for r in daily_rows) == 2


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "yesterday"}, "from", "Enter a valid date"),
        ({"to": "2025-13-01"}, "to", "Enter a valid date"),
        ({"from": "2025-06-20", "to": "2025-06-01"}, "to", "before the first"),
        ({"from": "2020-01-01", "to": "2025-01-01"}, "to", "At most 366 days"),
        ({"from": "2025-06-01" * 3}, "from", "Too long"),
    ],
)
def test_a_bad_period_is_shown_on_the_form_and_refused_by_the_exports(
    client: Browserless, query: dict[str, str], field: str, message: str
) -> None:
    client.login(Role.SUPERVISOR)
    response = client.get(f"/crossings/{QAIM}/reports", params=query)
    assert response.status_code == 422
    error = re.search(rf'data-field="{field}">([^<]*)<', response.text)
    assert error and message in error.group(1)
    for kind in ("csv", "xlsx"):
        export = client.get(f"/crossings/{QAIM}/reports/statistics.{kind}", params=query)
        assert export.status_code == 422
        assert export.headers["content-type"].startswith("text/html")


def test_the_dashboard_counts_today_shows_the_queue_and_the_charts(
    client: Browserless, crossing: str
) -> None:
    seed_traffic(client, crossing)
    client.login(Role.SUPERVISOR)
    page = client.get(f"/crossings/{crossing}")
    assert page.status_code == 200
    assert re.search(r'<p class="figure">2</p><p>Entries</p>', page.text)
    assert re.search(r'<p class="figure">2</p><p>Trucks waiting</p>', page.text)
    assert page.text.count('data-state="queued"') == 2
    keys = re.findall(r'<figure class="chart" data-key="(\w+)"', page.text)
    assert keys == ["trucks", "passengers", "chapters", "incidents"]


def test_the_public_page_shows_the_waits(client: Browserless, crossing: str) -> None:
    seed_traffic(client, crossing)
    text = client.get("/?lang=en").text
    card = text[text.index(f'data-code="{crossing}"') :]
    card = card[: card.index("</article>")]
    assert card.count("Expected wait") == 2
    assert "not known" not in card.split('data-traffic="passenger"')[1]  # movements this hour


# --- CSRF on every new form --------------------------------------------------------------------

NEW_ACTIONS = [
    (Role.IMMIGRATION, "/crossings/{code}/booth", {"mrz": "x", "direction": "entry"}),
    (Role.CUSTOMS, "/crossings/{code}/cargo/trucks", {"plate": "CSRF-1"}),
    (Role.CUSTOMS, "/crossings/{code}/cargo/trucks/anytruck/call", {}),
    (Role.CUSTOMS, "/crossings/{code}/cargo/trucks/anytruck/inspections", {"kind": "xray"}),
    (Role.CUSTOMS, "/crossings/{code}/cargo/trucks/anytruck/release", {}),
    (Role.CUSTOMS, "/crossings/{code}/cargo/trucks/anytruck/payments", {"amount": "1"}),
    (Role.CUSTOMS, "/crossings/{code}/cargo/trucks/anytruck/permits", {"number": "1"}),
    (Role.SECURITY, "/crossings/{code}/security/groups", {"category": "other"}),
    (Role.SECURITY, "/crossings/{code}/security/groups/anygroup/persons", {}),
    (Role.SECURITY, "/crossings/{code}/security/groups/anygroup/handovers", {"to": "x"}),
    (Role.SUPERVISOR, "/crossings/{code}/supervisor/referrals/anymove", {"decision": "admitted"}),
]


@pytest.mark.parametrize(
    "token", [None, "", "forged-token-value"], ids=["missing", "empty", "wrong"]
)
@pytest.mark.parametrize(("role", "action", "data"), NEW_ACTIONS, ids=lambda v: str(v)[:40])
def test_every_new_form_refuses_a_missing_or_wrong_csrf_token(
    client: Browserless, crossing: str, role: Role, action: str, data: dict, token: str | None
) -> None:
    client.login(role)
    client.get(f"/crossings/{crossing}")  # the CSRF cookie is set
    body = dict(data) | ({} if token is None else {"csrf_token": token})
    response = client.http.post(action.format(code=crossing), data=body)
    assert response.status_code == 403
    assert "not sent from this site" in response.text


def test_a_refused_csrf_records_no_movement(client: Browserless, crossing: str) -> None:
    client.login(Role.IMMIGRATION)
    page = f"/crossings/{crossing}/booth"
    client.get(page)
    mrz = passport(fresh_number(), "NOCSRF", "PROBE")
    data = {"mrz": mrz, "direction": "entry", "travel_mode": "foot", "csrf_token": "forged"}
    assert client.http.post(page, data=data).status_code == 403
    client.login(Role.ANALYST)
    exported = client.get(f"/crossings/{crossing}/reports/statistics.csv").text
    assert "Summary,passengers,movements,0" in exported


def test_a_refused_payment_is_shown_in_the_trucks_row(client: Browserless, crossing: str) -> None:
    client.login(Role.CUSTOMS)
    page = f"/crossings/{crossing}/cargo"
    plate = "DMS-" + fresh_number()[1:7]
    assert (
        client.submit(page, f"{page}/trucks", arrival(f"D-{fresh_number()}", plate)).status_code
        == 303
    )
    tid = re.search(rf'data-truck="(\w+)" data-plate="{plate}"', client.get(page).text).group(1)
    body = {"receipt_number": "PX-" + fresh_number(), "amount": "999999999", "method": "cash"}
    refused = client.submit(page, f"{page}/trucks/{tid}/payments", body)
    assert refused.status_code == 409
    assert "more than is due" in refused.text
    bad = client.submit(page, f"{page}/trucks/{tid}/payments", {**body, "amount": "abc"})
    assert bad.status_code == 422


def test_a_seizure_case_page_with_photos_and_a_handover(client: Browserless, crossing: str) -> None:
    client.login(Role.CUSTOMS)
    page = f"/crossings/{crossing}/cargo"
    plate = "DMS-" + fresh_number()[1:7]
    client.submit(page, f"{page}/trucks", arrival(f"D-{fresh_number()}", plate))
    tid = re.search(rf'data-truck="(\w+)" data-plate="{plate}"', client.get(page).text).group(1)
    seizure = {"kind": "physical", "result": "seizure", "findings": "Captagon in the crates."}
    assert client.submit(page, f"{page}/trucks/{tid}/inspections", seizure).status_code == 303
    listed = client.get(page).text
    detained = listed[listed.index('id="detained"') :]
    case_path = re.search(rf'data-plate="{plate}">.*?href="([^"]+)"', detained, re.S).group(1)
    shown = client.get(case_path)
    assert shown.status_code == 200 and "Captagon in the crates." in shown.text
    handed = client.submit(case_path, f"{case_path}/handover", {"to": "Al-Qaim police"})
    assert handed.status_code == 303
    after = client.get(case_path).text
    assert 'data-state="handed_over"' in after and "Al-Qaim police" in after
    assert "handover-form" not in after
