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
from borderpost.clearance import service as clearance
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.demo.cargo_goods import make_arrival
from borderpost.traveller.mrz import build_td3

CODE = "IQ-QAIM"
FIRST_DAY = date(2025, 6, 14)
DAYS = 14
Say = Callable[[str], None]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# The fortnight's trucks at this share of the rates below (about 100 a day instead of 250): each
# truck is five service calls, and `borderpost demo` must load in under a minute.
FORTNIGHT_SCALE = 0.4
SERVICE_MEAN = {Lane.GREEN: 6.0, Lane.BLUE: 7.0, Lane.YELLOW: 25.0, Lane.RED: 75.0}


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
        # The importer's agent pays the duties and fees at the bank window (receipt by number).
        clearance.settle(
            s, truck_id=truck.id, receipt_prefix="RB-250614-0001", actor=customs,
            at=at("2025-06-14T08:43"),
        )  # fmt: skip
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


def _arrival_times(
    rng: random.Random, start: datetime, days: int, scale: float = 1.0, ramp_up: bool = True
) -> list[datetime]:
    times: list[datetime] = []
    for d in range(days + 1):
        day = start.replace(hour=0, minute=0) + timedelta(days=d)
        ramp = 0.45 if d == 0 else min(1.0, 0.75 + 0.05 * d)  # trade picks up after reopening
        ramp = (ramp if ramp_up else 1.0) * scale
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
    start: datetime | None = None,
    end: datetime | None = None,
    scale: float = FORTNIGHT_SCALE,
) -> int:
    """Two weeks of trucks after the first one; returns how many arrived. With `start`, `end`
    and `scale`, the same simulation for the ordinary days after the story (demo.ordinary)."""
    rng = random.Random(seed)
    customs = actors[Role.CUSTOMS]
    story = start is None
    start = start or at("2025-06-14T09:00")
    # Fourteen days, then the morning peak of the fifteenth: the demo opens with a queue.
    end = end or start.replace(hour=0) + timedelta(days=DAYS, hours=10)
    events: list[_Event] = []
    seq = 0
    days = (end - start.replace(hour=0, minute=0)).days
    for when in _arrival_times(rng, start, days, scale, ramp_up=story):
        seq += 1
        events.append(_Event(when, seq, "arrive"))
    if story:
        seq += 1
        events.append(_Event(at("2025-06-21T06:00"), seq, "lanes", 5))  # a fifth bay and team
        seq += 1
        events.append(_Event(at("2025-06-27T22:00"), seq, "lanes", 4))  # the team moves on
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
                crossing = crossings.get_crossing(s, CODE)  # once per session, not per truck
            now = event.when
            if event.kind == "lanes":
                lanes_open = event.data
                cargo.set_open_lanes(s, crossing=crossing, open=lanes_open, actor=customs, at=now)
            elif event.kind == "arrive":
                day = now.date()
                numbers[day] = numbers.get(day, 1) + 1
                truck = cargo.register_truck(
                    s,
                    crossing=crossing,
                    arrival=make_arrival(rng, numbers[day], day),
                    secret=secret,
                    actor=customs,
                    at=now,
                )
                if truck.state != "held":  # a refused driver holds the truck for a supervisor
                    lane = Lane(truck.lane)
                    waiting[truck.id] = _Waiting(
                        truck.id,
                        lane,
                        queued_truck(truck.id, now, lane.value, truck.priority_class),
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
    say(f"{start:%Y-%m-%d} to {end:%Y-%m-%d %H:%M}: {arrived} trucks, {len(waiting)} waiting")
    return arrived


def _finish(
    s: Session, rng: random.Random, chosen: _Waiting, started: datetime, now: datetime, actor: Actor
) -> None:
    """The end of a service: the lane's controls, then release (or detention after a seizure)."""
    if chosen.lane in (Lane.GREEN, Lane.BLUE):
        _settle(s, chosen.truck_id, actor, now)
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
    if kind is InspectionKind.XRAY:  # the scan shows where to look; a red lane is then opened
        middle = started + (now - started) / 3
        cargo.record_inspection(
            s, truck_id=chosen.truck_id, kind=kind, result=InspectionResult.CLEARED,
            findings=None, started_at=started, actor=actor, at=middle,
        )  # fmt: skip
        kind, started = InspectionKind.PHYSICAL, middle
    cargo.record_inspection(
        s, truck_id=chosen.truck_id, kind=kind, result=InspectionResult.CLEARED,
        findings=None, started_at=started, actor=actor, at=now,
    )  # fmt: skip
    _settle(s, chosen.truck_id, actor, now)
    cargo.release_truck(s, truck_id=chosen.truck_id, actor=actor, at=now)


def _settle(s: Session, truck_id: str, actor: Actor, now: datetime) -> None:
    """Permits presented, duties and fees paid (a guarantee for a transit): receipts by truck."""
    clearance.settle(s, truck_id=truck_id, receipt_prefix=f"RB-{truck_id}", actor=actor, at=now)


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
