"""The state's rules on the pages: the booth (visa refused and its printed refusal, departures,
a closed hall, a typed document, an unreadable MRZ in Arabic), and the supervisor's permits."""

from __future__ import annotations

import re
import secrets
from datetime import date

from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.crossing import service as crossings
from borderpost.crossing.rules import ReasonCategory, State, Traffic
from borderpost.db import Database
from borderpost.traveller.mrz_build import build_td3
from tests.web.conftest import Browserless


def mrz(number: str, nationality: str = "SYR", **kw) -> str:
    return build_td3(
        issuing_state=nationality,
        surname=kw.get("surname", "HADDAD"),
        given_names="SAMER",
        document_number=number,
        nationality=nationality,
        birth_date=date(1980, 1, 1),
        sex="M",
        expiry_date=kw.get("expires", date(2031, 1, 1)),
    )


def number() -> str:
    return "A" + secrets.token_hex(4).upper()


def record(client: Browserless, crossing: str, text: str, direction: str = "entry"):
    page = f"/crossings/{crossing}/booth"
    response = client.submit(
        page, page, {"mrz": text, "direction": direction, "travel_mode": "foot"}
    )
    assert response.status_code == 303, response.text[:800]
    return client.get(response.headers["location"])


def test_a_syrian_without_a_visa_is_refused_and_the_refusal_prints_in_both_languages(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.IMMIGRATION)
    shown = record(client, crossing, mrz(number()))
    assert 'data-decision="refused"' in shown.text and 'data-code="visa_required"' in shown.text
    link = re.search(r'href="(/crossings/[^"]+/refusal)"', shown.text)
    assert link, "the booth links the printable refusal"
    printed = client.get(link.group(1))
    assert printed.status_code == 200
    assert "Refusal of entry" in printed.text and "رفض الدخول" in printed.text
    assert "has no valid visa or residence permit" in printed.text
    assert "لا يحمل تأشيرة أو إقامة سارية" in printed.text
    assert 'class="refusal-print"' in printed.text  # app.css prints it (@media print)


def test_an_exit_is_departed_and_the_booth_lists_its_last_travellers(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.IMMIGRATION)
    doc = number()
    shown = record(client, crossing, mrz(doc, "IRQ"), "exit")
    assert 'data-decision="admitted"' in shown.text
    assert re.search(r'class="decision decision-admitted">Departed<', shown.text)
    recent = re.search(r'<section id="recent">(.*?)</section>', shown.text, re.S)
    assert recent and doc in recent.group(1)


def test_the_booth_says_the_hall_is_closed_before_anything_is_scanned(
    client: Browserless, crossing: str, web_database: Database
) -> None:
    with web_database.transaction() as db:
        crossings.change_status(
            db,
            crossing=crossings.get_crossing(db, crossing),
            traffic=[Traffic.PASSENGER],
            state=State.CLOSED,
            reason_category=ReasonCategory.SECURITY,
            reason="Clashes in the area.",
            assessment_id=None,
            actor=SYSTEM,
        )
    client.login(Role.IMMIGRATION)
    page = client.get(f"/crossings/{crossing}/booth")
    assert 'data-closed="passenger"' in page.text


def test_a_document_that_cannot_be_scanned_is_typed_in(client: Browserless, crossing: str) -> None:
    client.login(Role.IMMIGRATION)
    page = f"/crossings/{crossing}/booth"
    data = {
        "document_number": number(),
        "document_type": "P",
        "issuing_state": "IRQ",
        "nationality": "IRQ",
        "surname": "Jabouri",
        "given_names": "Ali",
        "birth_date": "1985-05-05",
        "expiry_date": "2030-01-01",
        "sex": "M",
        "direction": "entry",
        "travel_mode": "car",
    }
    response = client.submit(page, f"{page}/manual", data)
    assert response.status_code == 303, response.text[:800]
    shown = client.get(response.headers["location"])
    assert 'data-decision="admitted"' in shown.text and "JABOURI" in shown.text.upper()
    bad = client.submit(page, f"{page}/manual", {**data, "expiry_date": ""})
    assert bad.status_code == 422
    assert 'data-field="expiry_date"' in bad.text


def test_an_unreadable_mrz_clears_the_decision_and_is_named_in_arabic(
    client: Browserless, crossing: str
) -> None:
    client.login(Role.IMMIGRATION)
    client.get("/?lang=ar")
    page = f"/crossings/{crossing}/booth"
    line1, line2 = mrz(number(), "IRQ").split("\n")
    spoiled = line2[:9] + str((int(line2[9]) + 1) % 10) + line2[10:]
    response = client.submit(
        page,
        page,
        {"mrz": f"{line1}\n{spoiled}", "direction": "entry", "travel_mode": "foot"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    error = re.search(r'data-field="mrz">([^<]*)<', response.text)
    assert error and "رقم الوثيقة" in error.group(1)
    assert '<section id="decision" hx-swap-oob="true">' in response.text


def test_a_supervisor_records_a_permit_on_the_page_and_the_booth_admits(
    client: Browserless, crossing: str
) -> None:
    doc = number()
    client.login(Role.SUPERVISOR)
    page = f"/crossings/{crossing}/admission"
    shown = client.get(page)
    assert shown.status_code == 200 and 'data-state="IRQ"' in shown.text
    assert "evisa" in shown.text or "e-visa" in shown.text, "the rules cite their sources"
    data = {
        "kind": "visa",
        "number": "EV" + doc,
        "entries": "single",
        "document_number": doc,
        "issuing_state": "SYR",
        "nationality": "SYR",
        "surname": "HADDAD",
        "valid_from": "2025-01-01",
        "valid_until": "2040-01-01",
        "stay_days": "30",
    }
    response = client.submit(page, f"{page}/permits", data)
    assert response.status_code == 303, response.text[:800]
    bad = client.submit(page, f"{page}/permits", {**data, "valid_until": "2024-01-01"})
    assert bad.status_code == 422
    csv = f"document_number,issuing_state,kind,source\n{doc}X,SYR,stolen,SLTD\nbad,,,\n"
    imported = client.submit(
        page, f"{page}/alerts/import", {}, files={"file": ("a.csv", csv.encode())}
    )
    assert imported.status_code == 303
    client.login(Role.IMMIGRATION)
    shown = record(client, crossing, mrz(doc))
    assert 'data-decision="admitted"' in shown.text and 'data-code="permit_valid"' in shown.text


def test_the_booth_refers_a_citizen_and_shows_who_listed_a_document(
    client: Browserless, crossing: str, web_database: Database
) -> None:
    from borderpost.admission import service as admission
    from borderpost.admission.schemas import AlertCreate

    client.login(Role.IMMIGRATION)
    expired = record(client, crossing, mrz(number(), "IRQ", expires=date(2024, 2, 1)))
    assert 'data-decision="referred"' in expired.text
    assert 'data-code="citizen"' in expired.text and 'data-code="document_expired"' in expired.text
    doc = number()
    with web_database.transaction() as db:
        admission.create_alert(
            db,
            body=AlertCreate(
                document_number=doc, issuing_state="IRQ", kind="revoked", source="Iraqi MoI"
            ),
            actor=SYSTEM,
        )
    listed = record(client, crossing, mrz(doc, "IRQ"), "exit")
    assert 'data-decision="referred"' in listed.text
    detail = re.search(r'data-detail="document_alert">([^<]*)<', listed.text)
    assert detail and "Iraqi MoI" in detail.group(1) and "revoked" in detail.group(1)


def test_a_supervisor_records_an_entry_by_air_and_the_exit_finds_it(
    client: Browserless, crossing: str
) -> None:
    doc = number()
    client.login(Role.SUPERVISOR)
    page = f"/crossings/{crossing}/admission"
    data = {
        "direction": "entry",
        "airport": "BGW",
        "crossed_at": "2025-06-01T10:00",
        "document_number": doc,
        "issuing_state": "IRQ",
        "nationality": "IRQ",
        "surname": "Qxytbrawn",
        "expiry_date": "2031-01-01",
        "sex": "F",
    }
    response = client.submit(page, f"{page}/air-movements", data)
    assert response.status_code == 303, response.text[:800]
    assert client.submit(page, f"{page}/air-movements", {**data, "airport": "B"}).status_code == 422
    client.login(Role.IMMIGRATION)
    shown = record(client, crossing, mrz(doc, "IRQ", surname="QXYTBRAWN"), "exit")
    decision = re.search(r'data-decision="(\w+)"', shown.text)
    codes = re.findall(r'data-code="(\w+)"', shown.text)
    assert decision and decision.group(1) == "admitted", codes
    assert "not_in_country" not in codes
