"""Every page in Arabic shows Arabic: each page, as each role that opens it, over data like the
demo's (the Al-Qaim story and a crossing of the test's own with trucks, travellers, a seizure,
an incident and a group), and the forms re-displayed with their errors. The rules are those of
tests/web/arabic_text.py: no English label, no raw enumeration value, Latin names and codes
isolated, Arabic punctuation and dates."""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterator
from datetime import date

import pytest
from openpyxl import load_workbook

from borderpost.auth.permissions import Role
from borderpost.traveller.mrz_build import build_td3
from tests.conftest import LiveServer
from tests.web.arabic_text import problems, visible
from tests.web.conftest import Browserless, new_crossing

QAIM = "IQ-QAIM"
LISTED = ("Marwan Khalaf Dheyab", "al-Mashhadani", date(1979, 3, 14), "IRQ")  # demo watchlist
PERSONS = (
    "surname,given_names,rank,unit,custody_status\n"
    "Haddad,Samer,Private,17th Division,in_custody\n"
    "al-Mashhadani,Marwan Khalaf Dheyab,Private,4th Brigade,in_hospital\n"
)


def passport(nationality: str = "IRQ", surname: str = "HADDAD", given: str = "SAMER", **kw):
    return build_td3(
        issuing_state=nationality,
        surname=surname,
        given_names=given,
        document_number="A" + secrets.token_hex(4).upper(),
        nationality=nationality,
        birth_date=kw.get("born", date(1980, 1, 1)),
        sex="M",
        expiry_date=kw.get("expires", date(2031, 1, 1)),
    )


def arrival(plate: str, **extra: object) -> dict[str, object]:
    return {
        "direction": "inbound",
        "plate": plate,
        "registration_country": "SYR",
        "driver_mrz": passport("SYR", "KHALIL", "OMAR"),
        "number": "D-" + secrets.token_hex(3).upper(),
        "regime": "import",
        "exporter": "Damascus Cement Co",
        "importer": "Anbar Building Supplies",
        "origin_country": "SYR",
        "destination_country": "IRQ",
        "hs_code[]": ["252329", "070200"],
        "description[]": ["Portland cement", "Tomatoes"],
        "quantity[]": ["24", "2"],
        "unit[]": ["t", "t"],
        "gross_kg[]": ["24000", "2000"],
        "value[]": ["2400", "800"],
        "currency[]": ["USD", "USD"],
    } | extra


def spoiled(mrz: str) -> str:
    """The document number's check digit changed."""
    line1, line2 = mrz.split("\n")
    return f"{line1}\n{line2[:9]}{(int(line2[9]) + 1) % 10}{line2[10:]}"


class Seen:
    """The pages to read, found while making the data: path → the role that opens it."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.pages: list[tuple[Role | None, str]] = []
        self.failed: dict[str, str] = {}  # a form re-displayed with its errors, as it was shown
        self.flashed: dict[str, str] = {}  # the page after an action, with its message


@pytest.fixture(scope="module")
def arabic(server: LiveServer, users: dict[Role, str], web_database) -> Iterator[Seen]:
    """A crossing with traffic made through the pages, all in Arabic."""
    code = new_crossing(web_database)
    seen = Seen(code)
    c = Browserless(server, users)
    c.get("/?lang=ar")  # the language cookie
    base = f"/crossings/{code}"

    c.login(Role.CUSTOMS)
    cargo = f"{base}/cargo"
    plates = [f"DMS-{n}{secrets.token_hex(2).upper()}" for n in range(3)]
    for plate in plates:
        assert c.submit(cargo, f"{cargo}/trucks", arrival(plate)).status_code == 303
    page = c.get(cargo).text
    seen.flashed["cargo: a truck registered"] = page
    tids = [re.search(rf'data-truck="(\w+)" data-plate="{p}"', page).group(1) for p in plates]
    for tid in tids[:2]:
        assert c.submit(cargo, f"{cargo}/trucks/{tid}/call", {}).status_code == 303
    seizure = {"kind": "physical", "result": "seizure", "findings": "كبتاغون في الصناديق."}
    assert c.submit(cargo, f"{cargo}/trucks/{tids[0]}/inspections", seizure).status_code == 303
    case = re.search(r'href="(/crossings/[^"]+/cargo/cases/\w+)"', c.get(cargo).text).group(1)
    bad_driver = arrival("BAD-1", driver_mrz=spoiled(passport("SYR")))
    seen.failed["cargo: a driver's MRZ with a wrong check digit"] = c.submit(
        cargo, f"{cargo}/trucks", bad_driver
    ).text
    seen.failed["cargo: an HS code that does not exist"] = c.submit(
        cargo, f"{cargo}/trucks", arrival("BAD-2", **{"hs_code[]": ["999999", "070200"]})
    ).text

    c.login(Role.IMMIGRATION)
    booth = f"{base}/booth"
    given, surname, born, state = LISTED
    travellers = [
        passport(),  # admitted
        passport(surname=surname, given=given, born=born, nationality=state),  # watchlist
        passport("SYR"),  # refused: no visa
        passport(expires=date(2024, 2, 1)),  # citizen, expired document: referred
    ]
    movements = []
    for mrz in travellers:
        sent = c.submit(booth, booth, {"mrz": mrz, "direction": "entry", "travel_mode": "car"})
        assert sent.status_code == 303, sent.text[:500]
        movements.append(re.search(r"movement=(\w+)", sent.headers["location"]).group(1))
    data = {"mrz": spoiled(passport()), "direction": "entry", "travel_mode": "foot"}
    seen.failed["booth: a wrong check digit"] = c.submit(booth, booth, data).text
    data = {"mrz": passport().replace("<", "x", 3), "direction": "entry", "travel_mode": "foot"}
    seen.failed["booth: lower case in the MRZ"] = c.submit(booth, booth, data).text
    manual = {"document_number": "X1", "surname": "HADDAD", "direction": "entry"}
    seen.failed["booth: a typed document without its dates"] = c.submit(
        booth, f"{booth}/manual", manual | {"issuing_state": "QQQ", "travel_mode": "foot"}
    ).text

    c.login(Role.SECURITY)
    security = f"{base}/security"
    incident = {
        "kind": "smuggling_attempt",
        "severity": "3",
        "occurred_at": "2025-06-20T10:00",
        "description": "محاولة تهريب عند السدة.",
    }
    assert c.submit(security, f"{security}/incidents", incident).status_code == 303
    group = {
        "category": "surrendering_military",
        "description": "جنود",
        "arrived_at": "2025-06-20T06:00",
    }
    made = c.submit(security, f"{security}/groups", group)
    gid = re.search(r"group=(\w+)", made.headers["location"]).group(1)
    files = {"file": ("persons.csv", PERSONS.encode(), "text/csv")}
    c.submit(f"{security}?group={gid}", f"{security}/groups/{gid}/persons", {}, files=files)
    seen.failed["security: an incident without its time"] = c.submit(
        security, f"{security}/incidents", incident | {"occurred_at": "", "severity": "9"}
    ).text

    c.login(Role.SUPERVISOR)
    sup = f"{base}/supervisor"
    seen.failed["supervisor: a status change without its fields"] = c.submit(
        sup, f"{sup}/status", {"traffic": "cargo", "state": "closed", "reason": ""}
    ).text
    closing = {
        "traffic": "cargo",
        "directions": ["entry", "exit"],
        "state": "restricted",
        "allowed_categories": ["humanitarian", "perishables"],
        "allowed_nationalities": "SYR IRQ",
        "reason_category": "security",
        "reason": "اشتباكات قرب المنفذ.",
    }
    assert c.submit(sup, f"{sup}/status", closing).status_code == 303
    seen.failed["reports: a period the wrong way round"] = c.get(
        f"{base}/reports", params={"from": "2025-06-20", "to": "2025-06-01"}
    ).text
    seen.failed["reports: a day that is not a date"] = c.get(
        f"{base}/reports", params={"from": "yesterday"}
    ).text
    c.login(Role.ADMIN)
    taken = {"username": users[Role.SUPERVISOR], "password": "a-long-passphrase-1", "role": "x"}
    seen.failed["users: a taken name and a role that is none"] = c.submit(
        "/admin/users", "/admin/users", taken
    ).text
    taken["role"] = "supervisor"
    taken["country"] = "IRQ"
    seen.failed["users: a taken name"] = c.submit("/admin/users", "/admin/users", taken).text
    c.close()

    seen.pages = [
        (None, "/"),
        (None, "/login"),
        (Role.SUPERVISOR, "/crossings/XX-NONE"),
        (Role.ADMIN, "/admin/users"),
        (Role.SUPERVISOR, f"/crossings/{QAIM}"),
        (Role.SUPERVISOR, f"/crossings/{QAIM}/supervisor"),
        (Role.SUPERVISOR, f"/crossings/{QAIM}/assessments"),
        (Role.SUPERVISOR, f"/crossings/{QAIM}/reports?from=2025-06-01&to=2025-06-30"),
        (Role.LIAISON, f"/crossings/{QAIM}/assessments"),
        (Role.SUPERVISOR, base),
        (Role.SUPERVISOR, f"{base}/supervisor"),
        (Role.SUPERVISOR, f"{base}/admission"),
        (Role.SUPERVISOR, f"{base}/reports"),
        (Role.ANALYST, f"{base}/reports"),
        (Role.AUDITOR, base),
        (Role.CUSTOMS, cargo),
        (Role.CUSTOMS, case),
        (Role.CUSTOMS, f"{cargo}/hs?q=cement"),
        (Role.CUSTOMS, f"{cargo}/hs?hs_code[]=2523.29"),
        (Role.CUSTOMS, f"{cargo}/item-row"),
        (Role.IMMIGRATION, booth),
        *[(Role.IMMIGRATION, f"{booth}?movement={m}") for m in movements],
        (Role.IMMIGRATION, f"{base}/movements/{movements[2]}/refusal"),
        (Role.SECURITY, security),
        (Role.SECURITY, f"{security}?group={gid}"),
        (Role.IMMIGRATION, "/admin/users"),  # a refusal page
        *[(role, f"/crossings/{QAIM}") for role in Role],  # every role's first page
    ]
    yield seen


def read(server: LiveServer, users: dict[Role, str], role: Role | None, path: str) -> str:
    c = Browserless(server, users)
    try:
        if role is not None:
            c.login(role)
        response = c.get(path + ("&" if "?" in path else "?") + "lang=ar")
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        return response.text
    finally:
        c.close()


def test_every_page_in_arabic_shows_arabic(server, users, arabic: Seen) -> None:
    report = []
    for role, path in arabic.pages:
        html = read(server, users, role, path)
        if "<html" not in html:  # an HTMX fragment: read as the page it goes into would be
            html = f'<html lang="ar" dir="rtl"><body>{html}</body></html>'
        report += [f"{role and role.value} {path}: {p}" for p in problems(html)]
    assert not report, "\n".join(sorted(set(report)))


def test_every_form_error_in_arabic_is_arabic(arabic: Seen) -> None:
    report = []
    for name, html in arabic.failed.items():
        assert "field-error" in html or "form-error" in html, name
        report += [f"{name}: {p}" for p in problems(html)]
    for name, html in arabic.flashed.items():
        assert "flash" in html, name
        report += [f"{name}: {p}" for p in problems(html)]
    assert not report, "\n".join(sorted(set(report)))


def test_the_mrz_errors_are_named_in_arabic_sentences(arabic: Seen) -> None:
    html = arabic.failed["booth: a wrong check digit"]
    error = re.search(r'data-field="mrz">(.*?)</small>', html, re.S).group(1)
    assert "رقم الوثيقة" in error and "check digit" not in error


def test_exports_take_the_pages_language(server, users, arabic: Seen) -> None:
    c = Browserless(server, users)
    try:
        c.login(Role.ANALYST)
        base = f"/crossings/{arabic.code}/reports/statistics"
        csv = c.get(f"{base}.csv?lang=ar").text
        assert ARABIC.search(csv.splitlines()[0]), csv.splitlines()[0]
        assert "trucks_inbound" not in csv and "Summary" not in csv
        book = load_workbook(io.BytesIO(c.get(f"{base}.xlsx?lang=ar").content))
        assert all(ARABIC.search(name) for name in book.sheetnames), book.sheetnames
        for sheet in book.worksheets:
            header = [cell.value for cell in sheet[1]]
            assert all(ARABIC.search(str(h)) for h in header if h), header
        english = c.get(f"{base}.csv?lang=en").text
        assert "Summary,cargo,trucks_inbound" in english
    finally:
        c.close()


def test_hs_names_are_arabic_on_arabic_pages(server, users, arabic: Seen) -> None:
    html = read(server, users, Role.CUSTOMS, f"/crossings/{arabic.code}/cargo/hs?hs_code[]=2523.29")
    assert "إسمنت" in html or "اسمنت" in html, html
    assert "Portland" not in " ".join(s.text for s in visible(html) if not s.foreign)


def test_the_checker_catches_what_the_issue_found() -> None:
    """The rules fail on each example of issue 15."""
    page = '<html lang="ar" dir="rtl"><body>{}</body></html>'
    for bad in [
        "<p>document_number_check: check digit 7 does not match</p>",
        "<td>smuggling_attempt</td>",
        "<td>Crossing status</td>",
        "<p>الشاحنة DMS-12 في المسار</p>",
        "<p>حزيران, تموز</p>",
        "<td>01-01-2030</td>",
        '<small dir="ltr">the document is not valid</small>',
        '<canvas data-chart=\'{"title": "Trucks", "labels": [], "datasets": []}\'></canvas>',
    ]:
        assert problems(page.format(bad)), bad
    for good in [
        "<p>الشاحنة <bdi>DMS-12</bdi> في المسار</p>",
        "<p>حزيران، تموز</p>",
        '<blockquote lang="en" dir="ltr">The crossing is open.</blockquote>',
        "<p>رمز HS ‏2523</p>",
    ]:
        assert not problems(page.format(good)), (good, problems(page.format(good)))


ARABIC = re.compile(r"[\u0600-\u06ff]")
