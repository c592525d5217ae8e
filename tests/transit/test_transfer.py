"""The transfer zone over HTTP: goods moved truck to truck, kilograms balanced per line."""

from __future__ import annotations

import uuid

from borderpost.auth.permissions import Role
from tests.cargo.factories import arrival, driver_mrz, item
from tests.cargo.test_api import registered
from tests.conftest import Api

C = Role.CUSTOMS
RICE = item(hs_code="100630", description="Rice", quantity=1000, gross_kg=25000, value=12500)


def transfer(api: Api, tid: str, lines: list[dict], **kw: object):
    body = {
        "plate": "ANB-" + uuid.uuid4().hex[:5].upper(),
        "registration_country": "IRQ",
        "driver": {"mrz": driver_mrz(surname="Dulaimi", nationality="IRQ", number="A7654321")},
        "declaration_number": "TZ-" + uuid.uuid4().hex[:10].upper(),
        "lines": lines,
        "seals_removed": ["SY-5001"],
        "seals_applied": ["IQ-9001"],
        **kw,
    }
    return api.post(f"/trucks/{tid}/transfers", C, body)


def test_goods_move_to_a_receiving_truck_with_its_own_visit(api: Api, crossing_code):
    source = registered(api, crossing_code, arrival(items=[item(), RICE]))  # 30 t cement, 25 t
    sid = source["id"]
    first = transfer(api, sid, [{"item_index": 1, "gross_kg": 30000},
                                {"item_index": 2, "gross_kg": 10000}])  # fmt: skip
    assert first.status_code == 201, first.text
    receiving = api.get(f"/trucks/{first.json()['to_truck_id']}", C).json()
    assert receiving["registration_country"] == "IRQ" and receiving["state"] == "queued"
    lines = receiving["declaration"]["items"]
    assert [(i["hs_code"], i["gross_kg"], i["value"]) for i in lines] == [
        ("252329", 30000, 2400), ("100630", 10000, 5000)
    ]  # fmt: skip
    assert lines[1]["quantity"] == 400  # in proportion to the mass moved
    assert first.json()["seals_applied"] == ["IQ-9001"]
    # The source is assessed on what is left: 15 t of rice (7,500 USD).
    left = api.get(f"/trucks/{sid}/assessment", C).json()["lines"]
    assert [line["declared_value"] for line in left] == [0, 7500]

    too_much = transfer(api, sid, [{"item_index": 2, "gross_kg": 15001}])
    assert too_much.status_code == 422
    assert too_much.json()["errors"][0]["field"] == "lines[0].gross_kg"
    assert "15000" in too_much.json()["errors"][0]["message"]
    empty_line = transfer(api, sid, [{"item_index": 1, "gross_kg": 1}])
    assert empty_line.status_code == 422
    no_item = transfer(api, sid, [{"item_index": 3, "gross_kg": 1}])
    assert no_item.status_code == 422 and no_item.json()["errors"][0]["field"] == (
        "lines[0].item_index"
    )
    rest = transfer(api, sid, [{"item_index": 2, "gross_kg": 15000}])
    assert rest.status_code == 201
    assert api.get(f"/trucks/{sid}/assessment", C).json()["duties"] == 0  # unloaded: fees only
