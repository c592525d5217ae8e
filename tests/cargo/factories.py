"""Truck arrival bodies for the cargo tests."""

from __future__ import annotations

import copy
import secrets
from datetime import date
from typing import Any

from borderpost.traveller.mrz import build_td3


def driver_mrz(
    surname: str = "Haddad",
    given_names: str = "Samer",
    nationality: str = "SYR",
    number: str = "N12345678",
    expiry: date = date(2030, 1, 1),
) -> str:
    return build_td3(
        issuing_state=nationality,
        surname=surname,
        given_names=given_names,
        document_number=number,
        nationality=nationality,
        birth_date=date(1980, 1, 1),
        sex="M",
        expiry_date=expiry,
    )


CEMENT = {
    "hs_code": "2523.29",
    "description": "Portland cement, grey, in 50 kg bags",
    "quantity": 600,
    "unit": "pcs",
    "gross_kg": 30000,
    "value": 2400,
    "currency": "USD",
}


def item(**overrides: Any) -> dict[str, Any]:
    return {**CEMENT, **overrides}


def arrival(
    *,
    items: list[dict[str, Any]] | None = None,
    number: str | None = None,
    driver: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """An inbound Syrian truck with a cement import for Iraq, from a trader already known."""
    body: dict[str, Any] = {
        "direction": "inbound",
        "plate": "DMS-" + secrets.token_hex(3).upper(),
        "registration_country": "SYR",
        "trailer_plate": "TR-" + secrets.token_hex(2).upper(),
        "driver": driver if driver is not None else {"mrz": driver_mrz()},
        "declaration": {
            "number": number or "IM-" + secrets.token_hex(6).upper(),
            "regime": "import",
            "exporter": "Furat Cement Company",
            "importer": "Anbar Building Supplies",
            "origin_country": "SYR",
            "destination_country": "IRQ",
            "items": copy.deepcopy(items) if items is not None else [item()],
        },
    }
    declaration_overrides = {
        k: overrides.pop(k)
        for k in list(overrides)
        if k in ("regime", "exporter", "importer", "origin_country", "destination_country")
        or k in ("temperature_controlled", "humanitarian", "trader_id")
    }
    body["declaration"].update(declaration_overrides)
    body.update(overrides)
    return body
