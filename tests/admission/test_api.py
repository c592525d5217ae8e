"""The contract's entry and exit rules over HTTP, on both engines: permits, alerts, exit bans,
citizens, overstay, visas' own MRZ, drivers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from borderpost.admission.models import Permit
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.traveller import service as travellers
from borderpost.traveller.mrz import build_mrva
from borderpost.traveller.rules import Direction, TravelMode
from tests.conftest import Api, officers, unique_code
from tests.screening.racing import race
from tests.traveller.passengers import move, passport, visa

S, IM, AD = Role.SUPERVISOR, Role.IMMIGRATION, Role.ADMIN


def codes(movement: dict) -> list[str]:
    return [r["code"] for r in movement["reasons"]]


def test_a_syrian_without_a_visa_is_refused_visa_required(api: Api, crossing_code: str):
    mrz, _, _ = passport(nationality="SYR")
    body = move(api, crossing_code, mrz).json()
    assert body["decision"] == "refused" and codes(body) == ["visa_required"]
    assert body["reasons"][0]["refusal_ground"] == "C" and body["refusal_ground"] == "C"


def test_an_iraqi_with_an_expired_passport_is_referred_not_refused(api: Api, crossing_code: str):
    mrz, _, _ = passport(nationality="IRQ", expiry_date=date(2024, 1, 31))
    body = move(api, crossing_code, mrz).json()
    assert body["decision"] == "referred"
    assert codes(body) == ["citizen", "document_expired"]


def test_a_single_entry_visa_is_used_up(api: Api, crossing_code: str):
    mrz, number, state = passport(nationality="SYR")
    permit = visa(api, number, state, entries="single", stay_days=15)
    first = move(api, crossing_code, mrz).json()
    assert first["decision"] == "admitted" and codes(first) == ["permit_valid"]
    assert first["permit_id"] == permit["id"] and first["stay_until"]
    looked = api.get(f"/permits?document_number={number}&issuing_state={state}", IM).json()
    assert looked["items"][0]["status"] == "used"
    assert looked["items"][0]["used_by_movement_id"] == first["id"]
    assert move(api, crossing_code, mrz, "exit").json()["decision"] == "admitted"
    again = move(api, crossing_code, mrz).json()
    assert again["decision"] == "refused" and codes(again) == ["visa_required"]
    assert "already used" in again["reasons"][0]["message"]


def test_concurrent_entries_use_a_single_entry_visa_once(
    api: Api, crossing_code: str, database: Database
):
    for _ in range(4):
        mrz, number, state = passport(nationality="SYR")
        permit = visa(api, number, state, entries="single")
        body = {"direction": "entry", "mrz": mrz, "travel_mode": "car"}
        responses = race(api, f"/crossings/{crossing_code}/movements", [body] * 3, IM)
        assert [r.status_code for r in responses] == [201] * 3, [r.text for r in responses]
        admitted = [r.json() for r in responses if r.json()["decision"] == "admitted"]
        assert len(admitted) == 1, [r.json()["decision"] for r in responses]
        with database.reader() as db:
            used = db.scalar(select(Permit.used_by_movement_id).where(Permit.id == permit["id"]))
        assert used == admitted[0]["id"]


def test_cancelled_and_future_permits_do_not_admit(api: Api, crossing_code: str):
    mrz, number, state = passport(nationality="SYR")
    permit = visa(api, number, state)
    assert api.post(f"/permits/{permit['id']}/cancellation", IM, {"reason": "x"}).status_code == 403
    cancelled = api.post(f"/permits/{permit['id']}/cancellation", S, {"reason": "Fraud"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    twice = api.post(f"/permits/{permit['id']}/cancellation", S, {"reason": "Fraud"})
    assert twice.status_code == 409
    later = (date.today() + timedelta(days=30)).isoformat()
    visa(api, number, state, valid_from=later)
    body = move(api, crossing_code, mrz).json()
    assert body["decision"] == "refused" and "cancelled" in body["reasons"][0]["message"]
    assert "not valid before" in body["reasons"][0]["message"]


def test_a_permit_for_another_document_is_no_permit(api: Api, crossing_code: str):
    mrz, number, state = passport(nationality="SYR")
    visa(api, number + "X"[: 20 - len(number)], state)
    assert move(api, crossing_code, mrz).json()["decision"] == "refused"


def test_exit_with_an_expired_passport_and_an_overstay_is_admitted(
    api: Api, crossing_code: str, database: Database
):
    mrz, number, state = passport(nationality="SYR", expiry_date=date.today() - timedelta(days=1))
    visa(api, number, state, stay_days=10)
    entered = datetime.now(UTC) - timedelta(days=40)
    with database.transaction() as db:
        crossing = crossings.get_crossing(db, crossing_code)
        entry = travellers.record_movement(
            db,
            crossing=crossing,
            direction=Direction.ENTRY,
            travel_mode=TravelMode.CAR,
            document=travellers.read_mrz(mrz, today=entered.date()),
            actor=SYSTEM,
            at=entered,
        )
        assert entry.decision == "admitted", entry.reasons
    out = move(api, crossing_code, mrz, "exit").json()
    assert out["decision"] == "admitted"
    assert codes(out) == ["document_expired", "overstay"]
    assert out["overstay_days"] in (29, 30, 31)


def test_an_exit_ban_list_refers_an_exit_and_not_an_entry(api: Api, crossing_code: str):
    name = f"exit-bans-{uuid.uuid4().hex[:6]}"
    wl = api.post("/watchlists", AD, {"name": name, "source": "court", "purpose": "exit_ban"})
    assert wl.status_code == 201 and wl.json()["purpose"] == "exit_ban"
    csv = (
        "id,name,aliases,date_of_birth,nationality\n"
        "B-1,Qahtan Sabri Jabbar al-Mashhadani,,1970-02-03,IRQ\n"
    )
    imported = api.post(
        f"/watchlists/{wl.json()['id']}/import", AD, files={"file": ("b.csv", csv.encode())}
    )
    assert imported.status_code == 200, imported.text
    mrz, _, _ = passport(
        surname="AL MASHHADANI",
        given_names="QAHTAN SABRI JABBAR",
        nationality="IRQ",
        birth_date=date(1970, 2, 3),
    )
    entry = move(api, crossing_code, mrz).json()
    assert entry["decision"] == "admitted" and codes(entry) == ["citizen"]
    out = move(api, crossing_code, mrz, "exit").json()
    assert out["decision"] == "referred" and "exit_ban" in codes(out)
    assert "watchlist_possible_match" not in codes(out)


def test_a_document_alert_refers_entry_and_exit_and_names_who_listed_it(
    api: Api, crossing_code: str
):
    mrz, number, state = passport(nationality="IRQ")
    alert = {
        "document_number": number,
        "issuing_state": state,
        "kind": "stolen",
        "source": "INTERPOL SLTD",
        "note": "reported 2025-05",
    }
    assert api.post("/document-alerts", IM, alert).status_code == 403
    assert api.post("/document-alerts", S, alert).status_code == 201
    assert api.post("/document-alerts", S, alert).status_code == 409
    entry = move(api, crossing_code, mrz).json()
    assert entry["decision"] == "referred" and "document_alert" in codes(entry)
    message = entry["reasons"][codes(entry).index("document_alert")]["message"]
    assert "INTERPOL SLTD" in message and "stolen" in message
    out = move(api, crossing_code, mrz, "exit").json()
    assert out["decision"] == "referred" and "document_alert" in codes(out)


def test_alert_import_keeps_good_rows_and_names_bad_lines(api: Api):
    n1, n2 = "AL" + uuid.uuid4().hex[:6].upper(), "AL" + uuid.uuid4().hex[:6].upper()
    csv = (
        "document_number,issuing_state,kind,source\n"
        f"{n1},SYR,LOST,SLTD\n"
        f"{n2},ZZZ,stolen,SLTD\n"
        f"{n1},SYR,lost,SLTD\n"
    )
    r = api.post("/document-alerts/import", S, files={"file": ("a.csv", csv.encode())})
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 1
    assert [x["line"] for x in r.json()["rejected"]] == [3, 4]
    listed = api.get(f"/document-alerts?document_number={n1}&issuing_state=SYR", IM).json()
    assert listed["items"][0]["kind"] == "lost"


def test_permit_import_keeps_good_rows_and_names_bad_lines(api: Api, crossing_code: str):
    mrz, number, _ = passport(nationality="SYR")
    header = (
        "kind,number,issuing_state,document_number,document_issuing_state,nationality,surname,"
        "given_names,birth_date,valid_from,valid_until,stay_days,entries\n"
    )
    holder = f"{number},SYR,SYR,HADDAD"
    good = f"visa,E{uuid.uuid4().hex[:8]},IRQ,{holder},SAMI,,2025-01-01,2040-01-01,30,single\n"
    bad_dates = f"visa,E{uuid.uuid4().hex[:8]},IRQ,{holder},,,2025-02-01,2025-01-01,,single\n"
    bad_kind = f"stamp,E{uuid.uuid4().hex[:8]},IRQ,{holder},,,2025-01-01,2040-01-01,,multiple\n"
    r = api.post(
        "/permits/import",
        S,
        files={"file": ("p.csv", (header + good + bad_dates + bad_kind + good).encode())},
    )
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 1
    assert [x["line"] for x in r.json()["rejected"]] == [3, 4, 5]
    assert "valid_until" in r.json()["rejected"][0]["message"]
    assert move(api, crossing_code, mrz).json()["decision"] == "admitted"


def test_a_visas_own_mrz_is_not_a_travel_document(api: Api, crossing_code: str):
    mrz = build_mrva(
        issuing_state="IRQ",
        surname="HADDAD",
        given_names="SAMI",
        document_number="V1234567",
        nationality="SYR",
        birth_date=date(1990, 3, 4),
        sex="M",
        expiry_date=date(2030, 1, 1),
    )
    r = move(api, crossing_code, mrz)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["mrz.document_type"]


def test_a_visa_exempt_national_at_a_jordanian_crossing(api: Api, database: Database):
    # Jordan's crossing is worked by Jordanian officers (a user acts in their own state only).
    jordan = Api(api.server, officers(database, "JOR", [Role.IMMIGRATION]))
    jordan.users[Role.ADMIN] = api.users[Role.ADMIN]
    code = unique_code("JO")
    made = api.post(
        "/crossings",
        AD,
        {
            "code": code,
            "name": "Karameh",
            "country": "JOR",
            "neighbour_country": "IRQ",
            "counterpart_name": "Trebil",
            "timezone": "Asia/Amman",
        },
    )
    assert made.status_code == 201, made.text
    mrz, _, _ = passport(nationality="LBN")
    body = move(jordan, code, mrz).json()
    assert body["decision"] == "admitted" and codes(body) == ["visa_exempt"]
    syrian, _, _ = passport(nationality="SYR")
    assert codes(move(jordan, code, syrian).json()) == ["visa_required"]


def test_the_country_rules_are_readable(api: Api):
    rules = api.get("/country-rules", S)
    assert rules.status_code == 200
    irq = next(r for r in rules.json() if r["state"] == "IRQ")
    assert irq["transfer_zone_drivers_need_visa"] is False and irq["sources"]


def test_an_entry_by_air_recorded_by_a_supervisor_counts_on_the_way_out(
    api: Api, crossing_code: str
):
    mrz, number, state = passport(nationality="SYR")
    visa(api, number, state, stay_days=30)
    flew_in = (datetime.now(UTC) - timedelta(days=5)).isoformat()
    body = {"direction": "entry", "mrz": mrz, "airport": "BGW", "crossed_at": flew_in}
    assert api.post(f"/crossings/{crossing_code}/air-movements", IM, body).status_code == 403
    air = api.post(f"/crossings/{crossing_code}/air-movements", S, body)
    assert air.status_code == 201, air.text
    assert air.json()["point"] == "airport" and air.json()["decision"] == "admitted"
    assert codes(air.json()) == ["permit_valid", "entry_by_air"]
    out = move(api, crossing_code, mrz, "exit").json()
    assert out["decision"] == "admitted" and codes(out) == []
    presence = api.get(f"/travellers?document_number={number}&issuing_state={state}", IM)
    assert presence.json()["present_in_country"] is False


def test_presence_holds_across_the_crossings_of_the_installation(api: Api, crossing_code: str):
    other = unique_code()
    made = api.post(
        "/crossings",
        AD,
        {
            "code": other,
            "name": "Rabia",
            "country": "IRQ",
            "neighbour_country": "SYR",
            "counterpart_name": "Yarubiyah",
            "timezone": "Asia/Baghdad",
        },
    )
    assert made.status_code == 201
    mrz, _, _ = passport(nationality="IRQ")
    assert move(api, crossing_code, mrz, "entry").json()["decision"] == "admitted"
    again = move(api, other, mrz, "entry").json()
    assert again["decision"] == "referred" and "already_in_country" in codes(again)
    assert move(api, other, mrz, "exit").json()["decision"] == "admitted"


def test_a_state_records_only_its_own_permits(api: Api, database: Database):
    """Scope (issue 14): a Jordanian supervisor can neither record, import nor cancel an Iraqi
    visa; the Iraqi supervisor can."""
    jordan = Api(api.server, officers(database, "JOR", [Role.SUPERVISOR]))
    _mrz, number, state = passport(nationality="SYR")
    iraqi = visa(api, number, state)
    body = {
        "kind": "visa",
        "number": "V" + uuid.uuid4().hex[:10].upper(),
        "issuing_state": "IRQ",
        "holder": {"document_number": number, "issuing_state": state, "surname": "HOLDER",
                   "nationality": state},
        "valid_from": "2020-01-01",
        "valid_until": "2040-01-01",
        "entries": "multiple",
    }  # fmt: skip
    made = jordan.post("/permits", Role.SUPERVISOR, body)
    assert made.status_code == 403 and made.json()["type"].endswith("/out-of-scope")
    cancelled = jordan.post(
        f"/permits/{iraqi['id']}/cancellation", Role.SUPERVISOR, {"reason": "x"}
    )
    assert cancelled.status_code == 403 and cancelled.json()["type"].endswith("/out-of-scope")
    header = (
        "kind,number,issuing_state,document_number,document_issuing_state,nationality,surname,"
        "given_names,birth_date,valid_from,valid_until,stay_days,entries\n"
    )
    dates = "2020-01-01,2040-01-01"
    row = f"visa,VJ{uuid.uuid4().hex[:8]},IRQ,{number},SYR,SYR,HOLDER,,,{dates},,multiple\n"
    imported = jordan.post(
        "/permits/import", Role.SUPERVISOR, files={"file": ("p.csv", (header + row).encode())}
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == 0
    assert "outside JOR's scope" in imported.json()["rejected"][0]["message"]
