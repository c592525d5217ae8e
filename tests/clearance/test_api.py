"""The contract's "Customs clearance to a paid release" over HTTP, on both engines."""

from __future__ import annotations

from datetime import timedelta

from borderpost.auth.permissions import Role
from borderpost.db import utcnow
from tests.cargo.factories import arrival, item
from tests.cargo.test_api import green_truck, registered
from tests.clearance.helpers import receipt, settle
from tests.conftest import Api

C, A = Role.CUSTOMS, Role.ADMIN
PISTOLS = item(hs_code="930200", description="Pistols", quantity=40, unit="pcs", gross_kg=60,
               value=24000)  # fmt: skip


def pay(api: Api, tid: str, amount: object, **kw: object):
    body = {"receipt_number": receipt(), "amount": amount, "currency": "IQD", "method": "cash"}
    return api.post(f"/trucks/{tid}/payments", C, {**body, **kw})


def test_an_import_is_assessed_and_released_only_when_paid(api: Api, crossing_code):
    truck = green_truck(api, crossing_code)  # cement, 2,400 USD
    a = truck["assessment"]
    assert a["currency"] == "IQD" and a["paid"] == 0
    [line] = a["lines"]
    # 2,400 USD at 1,310 IQD, cement (2523) at 15% (the longest prefix: 25 is 5%).
    assert line == {
        "item_index": 1, "hs_code": "252329", "customs_value": 3144000, "duty_percent": 15,
        "duty": 471600, "declared_value": 2400, "declared_currency": "USD", "exchange_rate": 1310,
    }  # fmt: skip
    assert (a["duties"], a["fees"], a["total"], a["due"]) == (471600, 25000, 496600, 496600)
    tid = truck["id"]

    refused = api.post(f"/trucks/{tid}/release", C)
    assert refused.status_code == 409 and refused.json()["type"].endswith("/payment-required")
    assert pay(api, tid, 96600).status_code == 201
    usd = pay(api, tid, 300, currency="USD", method="bank")  # 393,000 IQD
    assert usd.status_code == 201 and usd.json()["assessed_amount"] == 393000
    still = api.post(f"/trucks/{tid}/release", C)
    assert still.status_code == 409 and "7000 IQD is still due" in still.json()["detail"]
    too_much = pay(api, tid, 7001)
    assert too_much.status_code == 409 and too_much.json()["type"].endswith("/overpayment")
    assert pay(api, tid, 7000, method="electronic").status_code == 201
    released = api.post(f"/trucks/{tid}/release", C)
    assert released.status_code == 200, released.text
    assert released.json()["assessment"]["due"] == 0
    assert released.json()["assessment"]["paid"] == 496600
    assert [p["method"] for p in api.get(f"/trucks/{tid}/payments", C).json()] == [
        "cash", "bank", "electronic"
    ]  # fmt: skip
    late = pay(api, tid, 1)
    assert late.status_code == 409 and late.json()["type"].endswith("/already-released")


def test_a_receipt_number_is_used_once(api: Api, crossing_code):
    a = green_truck(api, crossing_code)["id"]
    b = registered(api, crossing_code, arrival())["id"]
    number = receipt()
    assert pay(api, a, 1000, receipt_number=number).status_code == 201
    again = pay(api, b, 1000, receipt_number=number)
    assert again.status_code == 409 and again.json()["type"].endswith("/receipt-used")
    assert api.get(f"/trucks/{b}/assessment", C).json()["paid"] == 0


def test_bad_payments_are_refused_by_field(api: Api, crossing_code):
    tid = green_truck(api, crossing_code)["id"]
    for body, field in [
        ({"amount": "0"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"method": "barter"}, "method"),
        ({"receipt_number": ""}, "receipt_number"),
    ]:
        response = pay(api, tid, body.pop("amount", 10), **body)
        assert response.status_code == 422, response.text
        assert field in {e["field"] for e in response.json()["errors"]}
    guarantee = pay(api, tid, 10, method="guarantee", guarantee_ref="G-1")
    assert guarantee.status_code == 409 and guarantee.json()["type"].endswith(
        "/guarantee-not-accepted"
    )
    assert api.get(f"/trucks/{tid}/payments", C).json() == []


def test_arms_need_a_licence_and_red_needs_a_physical_examination(api: Api, crossing_code):
    truck = green_truck(api, crossing_code, items=[item(), PISTOLS])
    tid = truck["id"]
    assert truck["lane"] == "red"
    [need] = truck["assessment"]["permits_missing"]
    assert need["item_index"] == 2 and need["issued_by"] == "Ministry of Interior"
    xray = api.post(f"/trucks/{tid}/inspections", C, {"kind": "xray", "result": "cleared"})
    assert xray.status_code == 201
    refused = api.post(f"/trucks/{tid}/release", C)
    assert refused.status_code == 409 and refused.json()["type"].endswith("/inspection-required")
    assert "x-ray" in refused.json()["detail"]
    physical = {"kind": "physical", "result": "cleared", "findings": "As declared."}
    assert api.post(f"/trucks/{tid}/inspections", C, physical).status_code == 201
    due = api.get(f"/trucks/{tid}/assessment", C).json()["due"]
    assert pay(api, tid, due).status_code == 201
    no_permit = api.post(f"/trucks/{tid}/release", C)
    assert no_permit.status_code == 409 and no_permit.json()["type"].endswith("/permit-required")
    wrong_item = {"kind": "arms-licence", "number": "MOI-1", "issued_by": "Ministry of Interior",
                  "item_indexes": [3]}  # fmt: skip
    bad = api.post(f"/trucks/{tid}/permits", C, wrong_item)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "item_indexes[0]"
    cement_only = {**wrong_item, "item_indexes": [1]}
    assert api.post(f"/trucks/{tid}/permits", C, cement_only).status_code == 201
    assert api.post(f"/trucks/{tid}/release", C).json()["type"].endswith("/permit-required")
    licence = {**wrong_item, "number": "MOI-2025-0142", "item_indexes": [2]}
    assert api.post(f"/trucks/{tid}/permits", C, licence).status_code == 201
    released = api.post(f"/trucks/{tid}/release", C)
    assert released.status_code == 200, released.text
    assert released.json()["assessment"]["permits_missing"] == []


def test_a_transit_needs_a_guarantee_and_an_export_owes_fees_only(api: Api, crossing_code):
    transit = green_truck(
        api, crossing_code, regime="transit", origin_country="TUR", destination_country="JOR"
    )
    tid, a = transit["id"], transit["assessment"]
    assert a["duties"] == 471600 and a["total"] == 25000 * 2 and a["guarantee_required"] == 471600
    assert pay(api, tid, a["due"]).status_code == 201
    refused = api.post(f"/trucks/{tid}/release", C)
    assert refused.status_code == 409 and "guarantee" in refused.json()["detail"]
    no_ref = pay(api, tid, 471600, method="guarantee")
    assert no_ref.status_code == 422 and no_ref.json()["errors"][0]["field"] == "guarantee_ref"
    assert pay(api, tid, 471600, method="guarantee", guarantee_ref="TIR-XA1234").status_code == 201
    assert api.post(f"/trucks/{tid}/release", C).status_code == 200

    export = green_truck(
        api, crossing_code, direction="outbound", regime="export", origin_country="IRQ",
        destination_country="SYR",
    )  # fmt: skip
    assert export["assessment"]["duties"] == 0 and export["assessment"]["total"] == 10000
    assert settle(api, export["id"])["due"] == 0
    assert api.post(f"/trucks/{export['id']}/release", C).status_code == 200


def test_a_seizure_opens_a_case_that_is_handed_over_once(api: Api, crossing_code):
    tid = registered(api, crossing_code, arrival())["id"]
    seizure = {"kind": "physical", "result": "seizure", "findings": "Captagon in the pallets."}
    assert api.post(f"/trucks/{tid}/inspections", C, seizure).status_code == 201
    truck = api.get(f"/trucks/{tid}", C).json()
    assert truck["state"] == "detained" and truck["case"]["state"] == "open"
    case_id = truck["case"]["id"]
    detained = api.get(f"/crossings/{crossing_code}/trucks", C, params={"state": "detained"})
    assert [t["id"] for t in detained.json()["items"]] == [tid]

    png = {"file": ("p.png", b"\x89PNG-1", "image/png")}
    photo = api.post(f"/cases/{case_id}/photos", C, files=png)
    assert photo.status_code == 201, photo.text
    text = api.post(f"/cases/{case_id}/photos", C, files={"file": ("a.txt", b"hi", "text/plain")})
    assert text.status_code == 422
    back = api.get(f"/cases/{case_id}/photos/{photo.json()['id']}", C)
    assert back.content == b"\x89PNG-1" and back.headers["content-type"] == "image/png"

    case = api.get(f"/cases/{case_id}", C).json()
    assert case["findings"] == "Captagon in the pallets." and case["driver"]["surname"] == "HADDAD"
    assert case["items"][0]["hs_code"] == "252329" and len(case["photos"]) == 1
    handover = {"to": "Anbar Police Directorate", "note": "Driver and 12 kg of pills"}
    handed = api.post(f"/cases/{case_id}/handover", C, handover)
    assert handed.status_code == 200 and handed.json()["state"] == "handed_over"
    twice = api.post(f"/cases/{case_id}/handover", C, {"to": "Someone else"})
    assert twice.status_code == 409 and twice.json()["type"].endswith("/case-handed-over")
    after = api.get(f"/trucks/{tid}", C).json()
    assert after["state"] == "detained" and after["case"]["state"] == "handed_over"
    assert api.post(f"/trucks/{tid}/release", C).json()["type"].endswith("/detained")


def test_tariff_import_is_for_admins_and_a_bad_file_changes_nothing(api: Api):
    before = api.get("/tariff", C).json()
    files = {"file": ("t.csv", b"hs_prefix,duty_percent\n2523,12\n99x,1\n")}
    assert api.post("/tariff/import", C, files=files).status_code == 403
    bad = api.post("/tariff/import", A, files=files)
    assert bad.status_code == 200 and bad.json()["imported"] == 0
    message = "hs_prefix '99x' is not 2 to 10 digits"
    assert bad.json()["rejected"] == [{"line": 3, "message": message}]
    assert api.get("/tariff", C).json() == before
    # A tariff from a day ahead (at most a year: report days are bounded): today's assessments
    # keep today's rates.
    ahead_day = (utcnow().date() + timedelta(days=300)).isoformat()
    good = {"file": ("t.csv", b"hs_prefix,duty_percent,description\n2523,12,Cement\n25,4,\n")}
    done = api.post("/tariff/import", A, files=good, data={"valid_from": ahead_day})
    assert done.status_code == 200 and done.json()["imported"] == 2
    assert api.get("/tariff", C).json()["rates"] == before["rates"]
    ahead = api.get("/tariff", C, params={"day": ahead_day}).json()["rates"]
    assert {(r["hs_prefix"], r["duty_percent"]) for r in ahead} == {("2523", 12), ("25", 4)}
    earlier = api.post(
        "/tariff/import",
        A,
        files=good,
        data={"valid_from": (utcnow().date() + timedelta(days=200)).isoformat()},
    )
    assert earlier.status_code == 422 and earlier.json()["errors"][0]["field"] == "valid_from"


def test_an_amendment_after_a_discrepancy_recomputes_duties_with_a_penalty(api: Api, crossing_code):
    tid = registered(api, crossing_code, arrival())["id"]  # 2,400 USD of cement
    body = {"items": [item(value=4000)], "reason": "Invoice found: 4,000 USD, not 2,400."}
    early = api.post(f"/trucks/{tid}/amendments", C, body)
    assert early.status_code == 409 and early.json()["type"].endswith("/no-discrepancy")
    found = {"kind": "documentary", "result": "discrepancy", "findings": "A second invoice."}
    assert api.post(f"/trucks/{tid}/inspections", C, found).status_code == 201
    amended = api.post(f"/trucks/{tid}/amendments", C, body)
    assert amended.status_code == 201, amended.text
    # 1,600 USD more at 1,310 and 15%: 314,400 IQD of duty evaded, penalised 100% (fees.json).
    a = amended.json()
    assert (a["duties_before"], a["duties_after"], a["penalty"]) == (471600, 786000, 314400)
    truck = api.get(f"/trucks/{tid}", C).json()
    assert truck["declaration"]["items"][0]["value"] == 4000
    assert truck["assessment"]["penalty"] == 314400
    assert truck["assessment"]["total"] == 786000 + 25000 + 314400
    bad = api.post(f"/trucks/{tid}/amendments", C, {**body, "items": [item(hs_code="999999")]})
    assert bad.status_code == 422
    cleared = {"kind": "physical", "result": "cleared", "findings": "As amended."}
    assert api.post(f"/trucks/{tid}/inspections", C, cleared).status_code == 201
    settle(api, tid)
    assert api.post(f"/trucks/{tid}/release", C).status_code == 200
    final = api.post(f"/trucks/{tid}/amendments", C, body)
    assert final.status_code == 409 and final.json()["type"].endswith("/invalid-transition")
