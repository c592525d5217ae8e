"""The cargo part of the story: the first Syrian truck on 14 June 2025, then two weeks of traffic.

The fortnight is a small discrete-event simulation run through the service functions: trucks
arrive (more by day, peaks in the morning and afternoon), the risk engine gives each its lane,
free inspection lanes call waiting trucks in `order_queue` order, and each service takes a
lognormal time whose mean depends on the lane (minutes for green papers, an hour and more for a
red examination). Every write carries its simulated time, so the queue's wait estimates learn
from this history. Seeded: the same demo every time.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rich.console import Console
from rich.progress import Progress
from sqlalchemy.orm import Session

from borderpost.auth.permissions import Role
from borderpost.auth.service import Actor
from borderpost.cargo import service as cargo
from borderpost.cargo.lanes import InspectionKind, InspectionResult, Lane
from borderpost.cargo.queue_service import queued_truck
from borderpost.cargo.queueing import QueuedTruck, order_queue
from borderpost.cargo.risk import RandomSelection, load_default_profile
from borderpost.cargo.schemas import TruckArrival
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.traveller.mrz import build_td3

CODE = "IQ-QAIM"
FIRST_DAY = date(2025, 6, 14)
DAYS = 14
Say = Callable[[str], None]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


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
SERVICE_MEAN = {Lane.GREEN: 6.0, Lane.BLUE: 7.0, Lane.YELLOW: 25.0, Lane.RED: 75.0}

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


# ---------------------------------------------------------------------------- the profile
def reopening_profile(db: Database, actors: dict[Role, Actor], say: Say) -> None:
    """The supervisor raises random selection for the first weeks after the reopening."""
    shipped = load_default_profile()
    with db.transaction() as s:
        active = cargo.publish_profile(
            s,
            name="reopening 2025",
            rules=list(shipped.rules),
            random_selections=[
                RandomSelection(
                    lane=Lane.RED, rate=0.06, reason="random selection for physical examination"
                ),
                RandomSelection(
                    lane=Lane.YELLOW, rate=0.12, reason="random selection for documentary check"
                ),
                RandomSelection(
                    lane=Lane.BLUE, rate=0.05, reason="random selection for post-clearance audit"
                ),
            ],
            capacity_share={"red": 0.15, "yellow": 0.35},
            unit_values=None,
            note="Reopening after six months closed: more random controls for the first weeks.",
            actor=actors[Role.SUPERVISOR],
            at=at("2025-06-14T05:20"),
        )
    say(f"2025-06-14 risk profile version {active.version}: {active.profile.name}")


# ---------------------------------------------------------------------------- the first truck
def first_truck(db: Database, actors: dict[Role, Actor], say: Say, *, secret: bytes) -> None:
    """14 June 2025: the first Syrian truck since December registers, is inspected, released."""
    customs = actors[Role.CUSTOMS]
    body = {
        "direction": "inbound",
        "plate": "DMS-418207",
        "registration_country": "SYR",
        "trailer_plate": "DMS-T-55102",
        "driver": {
            "mrz": build_td3(
                issuing_state="SYR",
                surname="Darwish",
                given_names="Mahmoud Khalil",
                document_number="N0148822",
                nationality="SYR",
                birth_date=date(1979, 3, 11),
                sex="M",
                expiry_date=date(2029, 9, 30),
            )
        },
        "declaration": {
            "number": "IM-QAIM-250614-00001",
            "regime": "import",
            "exporter": "Furat Cement Co.",
            "importer": "Anbar Building Supplies",
            "origin_country": "SYR",
            "destination_country": "IRQ",
            "items": [
                {
                    "hs_code": "2523.29",
                    "description": "Portland cement, grey, 50 kg bags",
                    "quantity": 720,
                    "unit": "pcs",
                    "gross_kg": 36400,
                    "value": 2950,
                    "currency": "USD",
                }
            ],
        },
    }
    with db.transaction() as s:
        crossing = crossings.get_crossing(s, CODE)
        cargo.set_open_lanes(s, crossing=crossing, open=4, actor=customs, at=at("2025-06-14T05:30"))
        truck = cargo.register_truck(
            s,
            crossing=crossing,
            arrival=TruckArrival.model_validate(body),
            secret=secret,
            actor=customs,
            at=at("2025-06-14T07:40"),
        )
        cargo.call_truck(s, truck_id=truck.id, actor=customs, at=at("2025-06-14T07:52"))
        cargo.record_inspection(
            s,
            truck_id=truck.id,
            kind=InspectionKind.PHYSICAL,
            result=InspectionResult.CLEARED,
            findings="First truck since the reopening: load checked bag by bag, as declared.",
            started_at=at("2025-06-14T07:52"),
            actor=customs,
            at=at("2025-06-14T08:41"),
        )
        cargo.release_truck(s, truck_id=truck.id, actor=customs, at=at("2025-06-14T08:45"))
    say(f"2025-06-14 first Syrian truck {body['plate']}: {truck.lane} lane, inspected, released")


# ---------------------------------------------------------------------------- the fortnight
def arrivals_per_hour(hour: float) -> float:
    """Quiet nights, peaks at 09:00 and 15:00; about 250 trucks a day (at most 30 an hour)."""
    base = 3.0 if (hour < 5 or hour >= 21) else 9.5
    return (
        base
        + 16.0 * math.exp(-(((hour - 9) / 1.6) ** 2))
        + 13.0 * math.exp(-(((hour - 15) / 1.6) ** 2))
    )


_MAX_PER_MINUTE = 30 / 60


@dataclass(order=True)
class _Event:
    when: datetime
    seq: int
    kind: str = field(compare=False)  # "arrive" | "finish" | "lanes"
    data: Any = field(compare=False, default=None)


@dataclass
class _Waiting:
    truck_id: str
    lane: Lane
    queued: QueuedTruck


def _arrival_times(rng: random.Random, start: datetime, days: int) -> list[datetime]:
    times: list[datetime] = []
    for d in range(days):
        day = start.replace(hour=0, minute=0) + timedelta(days=d)
        ramp = 0.45 if d == 0 else min(1.0, 0.75 + 0.05 * d)  # trade picks up after reopening
        t = 0.0
        while t < 24 * 60:
            rate = arrivals_per_hour(t / 60) * ramp / 60  # per minute; thinning with a cap
            t += rng.expovariate(_MAX_PER_MINUTE)
            if t < 24 * 60 and rng.random() < rate / _MAX_PER_MINUTE:
                moment = day + timedelta(minutes=t)
                if moment > start:
                    times.append(moment)
    return times


def fortnight(
    db: Database,
    actors: dict[Role, Actor],
    say: Say,
    *,
    secret: bytes,
    console: Console | None = None,
    seed: int = 2025,
) -> int:
    """Two weeks of trucks after the first one; returns how many arrived."""
    rng = random.Random(seed)
    customs = actors[Role.CUSTOMS]
    start = at("2025-06-14T09:00")
    end = start.replace(hour=0) + timedelta(days=DAYS)
    events: list[_Event] = []
    seq = 0
    for when in _arrival_times(rng, start, DAYS):
        seq += 1
        events.append(_Event(when, seq, "arrive"))
    seq += 1
    events.append(_Event(at("2025-06-17T06:00"), seq, "lanes", 6))  # a fifth and sixth bay open
    heapq.heapify(events)
    total = sum(1 for e in events if e.kind == "arrive")

    lanes_open = 4
    busy = 0
    waiting: dict[str, _Waiting] = {}
    numbers: dict[date, int] = {}
    arrived = 0
    s: Session | None = None
    progress = Progress(console=console, transient=True, disable=console is None)

    def free_lane(now: datetime) -> None:
        nonlocal busy, seq
        while busy < lanes_open and waiting:
            nxt = order_queue([w.queued for w in waiting.values()], now=now)[0]
            chosen = waiting.pop(nxt.truck_id)
            minutes = rng.lognormvariate(math.log(SERVICE_MEAN[chosen.lane]) - 0.15, 0.55)
            if 13 <= now.hour < 17:
                minutes *= 1.3  # the afternoon shift is short of staff
            busy += 1
            assert s is not None
            cargo.call_truck(s, truck_id=chosen.truck_id, actor=customs, at=now)
            seq += 1
            finish = now + timedelta(minutes=max(minutes, 1.5))
            heapq.heappush(events, _Event(finish, seq, "finish", (chosen, now)))

    with progress:
        task = progress.add_task("cargo: two weeks of trucks", total=total)
        writes = 0
        while events:
            event = heapq.heappop(events)
            if event.when >= end and event.kind == "arrive":
                continue
            if event.when >= end:
                break  # the trucks still in service or waiting stay so: the queue of today
            if s is None:
                s = db.writer()
            now = event.when
            if event.kind == "lanes":
                lanes_open = event.data
                crossing = crossings.get_crossing(s, CODE)
                cargo.set_open_lanes(s, crossing=crossing, open=lanes_open, actor=customs, at=now)
            elif event.kind == "arrive":
                day = now.date()
                numbers[day] = numbers.get(day, 1) + 1
                truck = cargo.register_truck(
                    s,
                    crossing=crossings.get_crossing(s, CODE),
                    arrival=make_arrival(rng, numbers[day], day),
                    secret=secret,
                    actor=customs,
                    at=now,
                )
                lane = Lane(truck.lane)
                waiting[truck.id] = _Waiting(
                    truck.id, lane, queued_truck(truck.id, now, lane.value, truck.priority_class)
                )
                arrived += 1
                progress.advance(task)
            else:
                chosen, started = event.data
                _finish(s, rng, chosen, started, now, customs)
                busy -= 1
            free_lane(now)
            writes += 1
            if writes % 400 == 0:
                s.commit()
                s.close()
                s = None
        if s is not None:
            s.commit()
            s.close()
    say(f"2025-06-14 to {(end - timedelta(days=1)).date()}: {arrived} trucks")
    return arrived


def _finish(
    s: Session, rng: random.Random, chosen: _Waiting, started: datetime, now: datetime, actor: Actor
) -> None:
    """The end of a service: the lane's controls, then release (or detention after a seizure)."""
    if chosen.lane in (Lane.GREEN, Lane.BLUE):
        cargo.release_truck(s, truck_id=chosen.truck_id, actor=actor, at=now)
        return
    red = chosen.lane is Lane.RED
    kind = (
        InspectionKind.XRAY
        if red and rng.random() < 0.4
        else (InspectionKind.PHYSICAL if red else InspectionKind.DOCUMENTARY)
    )
    roll = rng.random()
    seizure_rate = 0.04 if red else 0.002
    if roll < seizure_rate:
        cargo.record_inspection(
            s, truck_id=chosen.truck_id, kind=kind, result=InspectionResult.SEIZURE,
            findings=rng.choice(SEIZURE_FINDINGS), started_at=started, actor=actor, at=now,
        )  # fmt: skip
        return
    if roll < seizure_rate + 0.06:
        middle = started + (now - started) / 2
        cargo.record_inspection(
            s, truck_id=chosen.truck_id, kind=kind, result=InspectionResult.DISCREPANCY,
            findings=rng.choice(DISCREPANCY_FINDINGS), started_at=started, actor=actor, at=middle,
        )  # fmt: skip
        kind = InspectionKind.PHYSICAL
        started = middle
    cargo.record_inspection(
        s, truck_id=chosen.truck_id, kind=kind, result=InspectionResult.CLEARED,
        findings=None, started_at=started, actor=actor, at=now,
    )  # fmt: skip
    cargo.release_truck(s, truck_id=chosen.truck_id, actor=actor, at=now)


SEIZURE_FINDINGS = [
    "Captagon tablets concealed in the load.",
    "Undeclared ammunition behind the front wall of the trailer.",
    "Cigarettes concealed under the declared goods.",
]
DISCREPANCY_FINDINGS = [
    "Weight on the weighbridge differs from the declaration by more than 5 %.",
    "Invoice and declared value do not agree; corrected declaration lodged.",
    "Quantity of packages differs from the packing list; recounted.",
]
