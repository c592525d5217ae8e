"""The trucks of the demo fortnight: commodities, routes, traders, drivers, declarations.

Synthetic names; the commodity mix is the trade across Al-Qaim as publicly described (cement,
foodstuffs, fresh produce, fuel, vehicles, plastics, iron and steel). Declared values follow the
risk profile's reference values per kg, with a few per cent declared far below them.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from borderpost.cargo.risk import load_default_profile
from borderpost.cargo.schemas import TruckArrival
from borderpost.traveller.mrz import build_td3

# (share, regime, hs code, description, unit, kg per unit, tonnes per truck (low, high)).
# USD per kg comes from the risk profile's reference values, so honest declarations look honest.
COMMODITIES: list[tuple[float, str, str, str, str, float, tuple[float, float]]] = [
    (0.16, "import", "252329", "Portland cement, grey, 50 kg bags", "pcs", 50, (30, 40)),
    (0.05, "import", "100630", "Rice, milled, 25 kg bags", "pcs", 25, (24, 30)),
    (0.04, "import", "110100", "Wheat flour, 50 kg bags", "pcs", 50, (25, 30)),
    (0.04, "import", "170199", "White sugar, 50 kg bags", "pcs", 50, (25, 30)),
    (0.04, "import", "151219", "Sunflower oil, 5 l bottles", "l", 0.92, (18, 22)),
    (0.04, "import", "200290", "Tomato paste, tins", "kg", 1, (18, 24)),
    (0.03, "import", "190531", "Biscuits, cartons", "kg", 1, (8, 14)),
    (0.05, "import", "070200", "Tomatoes, fresh", "kg", 1, (16, 22)),
    (0.03, "import", "070190", "Potatoes, fresh", "kg", 1, (20, 26)),
    (0.03, "import", "080510", "Oranges, fresh", "kg", 1, (16, 22)),
    (0.02, "export", "080810", "Apples, fresh", "kg", 1, (14, 20)),
    (0.01, "import", "010410", "Live sheep", "head", 45, (6, 9)),
    (0.08, "export", "271019", "Diesel fuel", "l", 0.84, (24, 30)),
    (0.04, "export", "271112", "Liquefied propane", "kg", 1, (18, 22)),
    (0.04, "transit", "870323", "Passenger cars, used, 1.5-3.0 l", "pcs", 1400, (7, 11)),
    (0.02, "import", "870421", "Light lorries, diesel, under 5 t", "pcs", 2500, (7, 10)),
    (0.04, "import", "390120", "Polyethylene granules, 25 kg bags", "kg", 1, (20, 26)),
    (0.03, "transit", "390410", "PVC resin, 25 kg bags", "kg", 1, (20, 26)),
    (0.02, "import", "392330", "Plastic bottles and containers", "pcs", 0.05, (4, 8)),
    (0.07, "import", "721420", "Reinforcing bars, hot-rolled", "kg", 1, (24, 32)),
    (0.03, "import", "730630", "Welded steel tubes", "kg", 1, (18, 26)),
    (0.02, "export", "730890", "Steel structures, parts", "kg", 1, (12, 20)),
    (0.03, "import", "310210", "Urea fertiliser, 50 kg bags", "pcs", 50, (25, 30)),
    (0.03, "import", "690721", "Ceramic floor tiles", "m2", 20, (20, 26)),
    (0.02, "transit", "620342", "Men's cotton trousers", "pcs", 0.5, (4, 8)),
    (0.02, "transit", "240220", "Cigarettes, cartons", "kg", 1, (4, 8)),
]
# Currencies declared and their shares; values are converted from USD at the profile's rates.
CURRENCIES = [("USD", 0.68), ("IQD", 0.16), ("SYP", 0.05), ("EUR", 0.05), ("TRY", 0.04),
              ("JOD", 0.02)]  # fmt: skip
TRANSIT_ROUTES = [("inbound", "SYR", "JOR"), ("inbound", "TUR", "KWT"), ("inbound", "LBN", "SAU"),
                  ("outbound", "IRN", "SYR"), ("outbound", "KWT", "LBN")]  # fmt: skip

SYRIAN_FIRMS = ("Furat Cement Co. | Albu Kamal Trading | Deir ez-Zor Agricultural Cooperative | "
                "Mayadin Foods | Euphrates Plastics | Halab Steel Works | Homs Oil Products | "
                "Damascus Textile House | Jazira Grain Traders | Tadmur Logistics | "
                "Orontes Fresh | Al-Sham Building Materials").split(" | ")  # fmt: skip
IRAQI_FIRMS = ("Anbar Building Supplies | Qaim Fresh Market | Ramadi Steel Trading | "
               "Haditha Food Wholesale | Fallujah Plastics | Baghdad Auto Import | "
               "Rawa Agricultural Supplies | Hit Cement Distributors | Ana Fuel Company | "
               "Karbala Foodstuff Trading | Basra Ceramics | Mosul Flour Mills | "
               "Euphrates Fuel Logistics | Al-Rafidain Vehicles").split(" | ")  # fmt: skip
OTHER_FIRMS = {"JOR": "Zarqa Free Zone Traders", "KWT": "Shuwaikh Auto Market",
               "SAU": "Arar Textiles", "TUR": "Gaziantep Export Ltd.",
               "LBN": "Tripoli Port Forwarding", "IRN": "Kermanshah Polymer Co."}  # fmt: skip
GIVEN = ("Ahmed Mahmoud Khalid Omar Yasser Samer Bassam Firas Walid Hussein Ali Hassan Mustafa "
         "Ibrahim Jasim Kadhim Raad Adnan Nabil Tariq Ziad Haidar Qasim Salim").split()  # fmt: skip
FAMILY = ("Haddad Khatib Masri Halabi Najjar Darwish Sabbagh Dulaimi Ani Rawi Obaidi Fahdawi "
          "Kubaisi Hadithi Jubouri Shammari Mashhadani Zoubi Khouri Tamimi").split()  # fmt: skip
PLATE_PREFIX = {"SYR": "DMS", "IRQ": "ANB", "JOR": "AMN", "TUR": "27", "LBN": "LB", "KWT": "KW",
                "IRN": "IR", "SAU": "SA"}  # fmt: skip


# ---------------------------------------------------------------------------- declarations
def _weighted(rng: random.Random, pairs: list[tuple[Any, float]]) -> Any:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _driver(rng: random.Random, nationality: str) -> dict[str, str]:
    surname, given = rng.choice(FAMILY), rng.choice(GIVEN)
    return {
        "mrz": build_td3(
            issuing_state=nationality,
            surname=surname,
            given_names=given,
            document_number=f"{rng.choice('NRS')}{rng.randint(1000000, 9999999)}",
            nationality=nationality,
            birth_date=date(rng.randint(1962, 2000), rng.randint(1, 12), rng.randint(1, 28)),
            sex="M",
            expiry_date=date(rng.randint(2026, 2031), rng.randint(1, 12), rng.randint(1, 28)),
        )
    }


def _plate(rng: random.Random, country: str) -> str:
    return f"{PLATE_PREFIX.get(country, country)}-{rng.randint(10000, 99999)}"


def make_arrival(rng: random.Random, number: int, day: date) -> TruckArrival:
    """One truck of the fortnight: a commodity from the mix, its route, parties and driver."""
    _, regime, hs, description, unit, kg_per_unit, tonnes = _weighted(
        rng, [(c, c[0]) for c in COMMODITIES]
    )
    if regime == "import":
        direction, origin, destination = "inbound", "SYR", "IRQ"
        if rng.random() < 0.2:
            origin = rng.choice(["TUR", "LBN"])  # goods of third countries, carried through Syria
        exporter = OTHER_FIRMS.get(origin) or rng.choice(SYRIAN_FIRMS)
        importer = rng.choice(IRAQI_FIRMS)
    elif regime == "export":
        direction, origin, destination = "outbound", "IRQ", "SYR"
        exporter, importer = rng.choice(IRAQI_FIRMS), rng.choice(SYRIAN_FIRMS)
    else:
        direction, origin, destination = rng.choice(TRANSIT_ROUTES)
        exporter = OTHER_FIRMS.get(origin) or rng.choice(SYRIAN_FIRMS)
        importer = OTHER_FIRMS.get(destination) or rng.choice(SYRIAN_FIRMS)
    truck_country = (
        "SYR" if direction == "inbound" else _weighted(rng, [("IRQ", 0.7), ("SYR", 0.3)])
    )
    if regime == "transit":
        truck_country = origin if origin in PLATE_PREFIX else "SYR"
    driver_nationality = truck_country if truck_country in ("SYR", "IRQ", "JOR", "TUR") else "SYR"

    units = load_default_profile().unit_values
    currency = _weighted(rng, CURRENCIES)
    kg = round(rng.uniform(*tonnes) * 1000, 0)
    quantity = max(1, round(kg / kg_per_unit))
    reference = next(units.usd_per_kg[hs[:n]] for n in (6, 4, 2) if hs[:n] in units.usd_per_kg)
    honesty = 0.3 if rng.random() < 0.03 else rng.lognormvariate(0.1, 0.2)
    usd = kg * reference * honesty
    value = round(usd / units.usd_per_unit[currency], 2 if currency in ("USD", "EUR", "JOD") else 0)
    items = [
        {
            "hs_code": hs,
            "description": description,
            "quantity": quantity,
            "unit": unit,
            "gross_kg": kg,
            "value": value,
            "currency": currency,
        }
    ]
    prefix = {"import": "IM", "export": "EX", "transit": "TR"}[regime]
    return TruckArrival.model_validate(
        {
            "direction": direction,
            "plate": _plate(rng, truck_country),
            "registration_country": truck_country,
            "trailer_plate": _plate(rng, truck_country) if rng.random() < 0.7 else None,
            "driver": _driver(rng, driver_nationality),
            "declaration": {
                "number": f"{prefix}-QAIM-{day:%y%m%d}-{number:05d}",
                "regime": regime,
                "exporter": exporter,
                "importer": importer,
                "origin_country": origin,
                "destination_country": destination,
                "temperature_controlled": hs.startswith(("07", "08")) and rng.random() < 0.6,
                "items": items,
            },
        }
    )
