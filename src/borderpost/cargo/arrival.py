"""A truck arrives: the driver read and screened, the declaration checked, the lane decided.

A refused arrival leaves nothing behind: the visit, its items and its audit record go in one
transaction, and a duplicate declaration (refused by the table's unique constraint when the visit
is flushed) rolls it all back.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo.hs import HsCodeError, lookup_subheading
from borderpost.cargo.lanes import Lane, TruckState
from borderpost.cargo.models import DeclarationItem, TruckVisit
from borderpost.cargo.profile import active_profile
from borderpost.cargo.queueing import QueuedTruck, priority_class
from borderpost.cargo.records import to_thousandths
from borderpost.cargo.risk import (
    CapacityState,
    DeclarationFacts,
    DeclarationItemFacts,
    Regime,
    assess_risk,
    selection_seed,
)
from borderpost.cargo.schemas import DriverIn, TruckArrival
from borderpost.crossing.models import Crossing
from borderpost.crossing.rules import Traffic
from borderpost.crossing.service import require_admission
from borderpost.db import utcnow
from borderpost.screening import service as screening
from borderpost.screening.service import PersonQuery, ScreeningOutcome
from borderpost.traveller import service as travellers
from borderpost.traveller.models import Movement
from borderpost.traveller.mrz import parse_mrz
from borderpost.traveller.rules import Direction, TravelMode
from borderpost.traveller.service import Document, RecordedMovement

CAPACITY_WINDOW = timedelta(hours=8)  # the recent lane shares random selection is held to
KEYS_PER_QUERY = 400  # trader keys looked up per query (SQLite allows 32,766 parameters)


def register_truck(
    db: Session,
    *,
    crossing: Crossing,
    arrival: TruckArrival,
    secret: bytes,
    actor: Actor,
    at: datetime | None = None,
) -> TruckVisit:
    """Record an arriving truck with its declaration, screened and given its risk lane.

    `secret` keys the random selection (with the declaration number): the seed and the draw are
    recorded on the visit with the risk inputs (trader history, screening flags, recent lanes),
    so the lane can be recomputed from the visit by anyone holding the secret.
    """
    (truck,) = register_trucks(
        db, crossing=crossing, arrivals=[(arrival, at or utcnow())], secret=secret, actor=actor
    )
    return truck


def register_trucks(
    db: Session,
    *,
    crossing: Crossing,
    arrivals: Sequence[tuple[TruckArrival, datetime]],
    secret: bytes,
    actor: Actor,
) -> list[TruckVisit]:
    """Record trucks arriving at the given moments, in order, as `register_truck` would one after
    the other (a truck is decided on the trucks before it in the batch: a trader's first truck
    makes the next one known, recent lanes count them), with the work done once per batch: every
    truck checked before anything is written, the drivers and parties screened in one call (a
    company met twice screened once), the trader history and the recent lanes read by one query
    each, the visits, items and audit records written together. Each driver's movement is
    recorded by immigration's rules one by one. A refused arrival refuses the whole batch (its
    field named `arrivals[n]....` when there are several); nothing is left behind.
    """
    if not arrivals:
        return []
    many = len(arrivals) > 1
    checked = [
        _checked(crossing, arrival, at, f"arrivals[{n}]." if many else "")
        for n, (arrival, at) in enumerate(arrivals)
    ]
    outcomes = _screen_all(db, [person for c in checked for person in c.people])
    trader_keys = [c.trader_key for c in checked]
    known = _known_traders(db, crossing, set(trader_keys))
    history: _LaneHistory | _LaneCounts = (
        _LaneHistory.read(
            db, crossing, min(at for _, at in arrivals), max(at for _, at in arrivals)
        )
        if many
        else _LaneCounts.read(db, crossing, arrivals[0][1])
    )
    active = active_profile(db)
    trucks: list[TruckVisit] = []
    decisions = []
    numbers: set[str] = set()
    for n, ((arrival, at), c) in enumerate(zip(arrivals, checked, strict=True)):
        declaration = arrival.declaration
        if declaration.number in numbers:
            raise errors.conflict(
                "declaration-exists",
                f"Declaration {declaration.number} is given twice (arrivals[{n}]).",
            )
        numbers.add(declaration.number)
        driver_screening, exporter_screening, importer_screening = outcomes[3 * n : 3 * n + 3]
        party_screening = {"exporter": exporter_screening, "importer": importer_screening}
        movement = _driver_movement(db, crossing, arrival, c.driver, driver_screening, actor, at)
        held = movement.decision == "refused"
        seed = selection_seed(declaration.number, secret)
        facts = DeclarationFacts(
            regime=declaration.regime,
            origin_country=declaration.origin_country,
            destination_country=declaration.destination_country,
            items=tuple(
                DeclarationItemFacts(code, i.gross_kg, i.value, i.currency)
                for code, i in zip(c.codes, declaration.items, strict=True)
            ),
            exporter=declaration.exporter,
            importer=declaration.importer,
            driver_watchlist_match=driver_screening.is_match,
            party_watchlist_match=any(o.is_match for o in party_screening.values()),
            first_time_trader=c.trader_key not in known,
            temperature_controlled=declaration.temperature_controlled,
        )
        capacity = history.at(at)
        decision = assess_risk(facts, active.profile, seed=seed, capacity=capacity)
        # Everything that decided the lane and is not in the declaration: with these, the
        # profile version and the seed, the lane is recomputed from the visit alone (the history
        # it was read from may change: trucks loaded later with an earlier `at`).
        risk_inputs = {
            "first_time_trader": facts.first_time_trader,
            "driver_watchlist_match": facts.driver_watchlist_match,
            "party_watchlist_match": facts.party_watchlist_match,
            "recent_lanes": {
                str(lane): count for lane, count in sorted(capacity.recent_counts.items())
            },
        }
        priority = priority_class(
            QueuedTruck(
                truck_id="",
                arrived_at=at,
                regime=declaration.regime.value,
                hs_codes=tuple(c.codes),
                temperature_controlled=declaration.temperature_controlled,
                humanitarian=False,  # self-declared: first class only once a supervisor confirms
            )
        )
        trucks.append(
            TruckVisit(
                crossing_id=crossing.id,
                direction=arrival.direction.value,
                plate=arrival.plate,
                registration_country=arrival.registration_country,
                trailer_plate=arrival.trailer_plate,
                driver=c.driver,
                driver_screening=screening_json(driver_screening),
                driver_movement_id=movement.id,
                driver_movement=_movement_summary(movement),
                declaration_number=declaration.number,
                regime=declaration.regime.value,
                exporter=declaration.exporter,
                importer=declaration.importer,
                trader_key=c.trader_key,
                origin_country=declaration.origin_country,
                destination_country=declaration.destination_country,
                temperature_controlled=declaration.temperature_controlled,
                humanitarian=declaration.humanitarian,
                party_screening={k: screening_json(v) for k, v in party_screening.items()},
                lane=decision.lane.value,
                lane_reasons=[_reason(r) for r in decision.reasons],
                suppressed_reasons=[_reason(r) for r in decision.suppressed],
                risk_profile_version=active.version,
                selection_seed=str(seed),
                selection_draw=decision.random_draw,
                risk_inputs=risk_inputs,
                priority_class=int(priority),
                state=(TruckState.HELD if held else TruckState.QUEUED).value,
                arrived_at=at,
                post_clearance_audit=False,
                recorded_by=actor.label,
            )
        )
        decisions.append((decision, risk_inputs, movement, party_screening, driver_screening))
        known.add(c.trader_key)
        history.add(at, decision.lane)
    db.add_all(trucks)
    # A declaration registered twice is refused by the unique constraint when the visits are
    # flushed: no query on every arrival, and right under concurrency too.
    exists = (
        f"Declaration {arrivals[0][0].declaration.number} is already registered at {crossing.code}."
        if not many
        else f"A declaration of the batch is already registered at {crossing.code}."
    )
    try:
        db.flush()
    except IntegrityError as exc:  # the same declaration registered concurrently
        # The failed flush rolled the session back and expired its objects: touch none of them
        # (reading crossing.code here was a 500); the request's rollback ends the transaction.
        raise errors.conflict("declaration-exists", exists) from exc
    items = [
        {
            "truck_visit_id": truck.id,
            "line": n,
            "hs_code": code,
            "hs_chapter": code[:2],
            "description": i.description,
            "quantity_thousandths": to_thousandths(i.quantity),
            "unit": i.unit.value,
            "gross_grams": to_thousandths(i.gross_kg),
            "value_thousandths": to_thousandths(i.value),
            "currency": i.currency,
        }
        for truck, (arrival, _), c in zip(trucks, arrivals, checked, strict=True)
        for n, (code, i) in enumerate(zip(c.codes, arrival.declaration.items, strict=True), 1)
    ]
    if items:  # an empty truck declares none
        db.execute(insert(DeclarationItem), items)
    audit.record_many(
        db,
        actor=actor.label,
        entries=[
            audit.Entry(
                action="truck.arrive",
                subject_type="truck_visit",
                subject_id=truck.id,
                after={
                    "crossing": crossing.code,
                    "direction": truck.direction,
                    "plate": truck.plate,
                    "declaration": arrival.declaration.number,
                    "regime": truck.regime,
                    "items": len(arrival.declaration.items),
                    "gross_kg": str(sum(i.gross_kg for i in arrival.declaration.items)),
                    "lane": truck.lane,
                    "lane_rules": [r.rule_id for r in decision.reasons],
                    "risk_profile_version": active.version,
                    "selection_seed": truck.selection_seed,
                    "selection_draw": decision.random_draw,
                    "risk_inputs": risk_inputs,
                    "driver_screening": driver_screening.status,
                    "driver_movement": {"id": movement.id, "decision": movement.decision},
                    "state": truck.state,
                    "party_screening": {k: v.status for k, v in party_screening.items()},
                },
            )
            for truck, (arrival, _), (
                decision,
                risk_inputs,
                movement,
                party_screening,
                driver_screening,
            ) in zip(trucks, arrivals, decisions, strict=True)
        ],
    )
    return trucks


@dataclass(frozen=True, slots=True)
class _Checked:
    """An arrival checked before anything is written: its HS codes (six digits), the driver as
    read, the trader's key, and the people to screen (the driver, the exporter, the importer)."""

    codes: list[str]
    driver: dict[str, Any]
    trader_key: str
    people: list[tuple[str, PersonQuery]]


def _checked(crossing: Crossing, arrival: TruckArrival, at: datetime, prefix: str) -> _Checked:
    require_admission(
        crossing=crossing,
        traffic=Traffic.CARGO,
        direction=arrival.direction,
        category=arrival.category,
        nationality=arrival.registration_country,
    )
    declaration = arrival.declaration
    codes = []
    for n, item in enumerate(declaration.items):  # the schema checked them; callers may not have
        try:
            codes.append(lookup_subheading(item.hs_code).code)
        except HsCodeError as exc:
            raise errors.invalid(f"{prefix}declaration.items[{n}].hs_code", exc.message) from exc
    try:
        driver = read_driver(arrival.driver, today=at.date())
    except errors.DomainError as exc:
        if prefix:  # name the arrival of the batch
            exc.errors = [errors.FieldError(prefix + e.field, e.message) for e in exc.errors]
        raise
    trader = declaration.importer if declaration.regime is Regime.IMPORT else declaration.exporter
    # The tax number when given: names are spelt many ways ("Co." / "Company", Arabic / Latin).
    tin = declaration.trader_id
    people = [
        (
            f"{prefix}driver",
            PersonQuery(
                name=f"{driver['given_names']} {driver['surname']}".strip(),
                birth_date=date.fromisoformat(driver["birth_date"])
                if driver["birth_date"]
                else None,
                nationality=driver["nationality"],
                sex=driver.get("sex"),
            ),
        ),
        (f"{prefix}declaration.exporter", PersonQuery(name=declaration.exporter, kind="company")),
        (f"{prefix}declaration.importer", PersonQuery(name=declaration.importer, kind="company")),
    ]
    return _Checked(codes, driver, f"tin:{tin.upper()}" if tin else _trader_key(trader), people)


def _driver_movement(
    db: Session,
    crossing: Crossing,
    arrival: TruckArrival,
    driver: dict[str, Any],
    outcome: ScreeningOutcome,
    actor: Actor,
    at: datetime,
) -> RecordedMovement:
    """The driver crosses too: a movement by the state's rules (travel mode truck_driver)."""
    document = None
    if arrival.driver.mrz is None:
        if not driver["expiry_date"]:
            raise errors.invalid(
                "driver.document.expiry_date", "required: the driver goes through immigration"
            )
        document = Document(
            document_type=driver["document_type"],
            document_number=driver["document_number"],
            issuing_state=driver["issuing_state"],
            nationality=driver["nationality"],
            surname=driver["surname"],
            given_names=driver["given_names"],
            birth_date=date.fromisoformat(driver["birth_date"]) if driver["birth_date"] else None,
            sex=driver["sex"] or "X",
            expiry_date=date.fromisoformat(driver["expiry_date"]),
        )
    inbound = arrival.direction.value == "inbound"
    return travellers.record_movement(
        db,
        crossing=crossing,
        direction=Direction.ENTRY if inbound else Direction.EXIT,
        travel_mode=TravelMode.TRUCK_DRIVER,
        purpose=f"driver of {arrival.plate}",
        mrz=arrival.driver.mrz,
        document=document,
        actor=actor,
        at=at,
        screened=outcome,
    )


def _movement_summary(movement: Movement | RecordedMovement) -> dict[str, Any]:
    return {
        "id": movement.id,
        "decision": movement.decision,
        "reasons": [{"code": r["code"], "message": r["message"]} for r in movement.reasons],
    }


def driver_resolved(db: Session, *, movement: Movement, actor: Actor) -> None:
    """A supervisor resolved a driver's movement: the held truck joins the queue when the driver
    is admitted, and stays held (turned back) when refused."""
    truck = db.scalar(
        select(TruckVisit).where(TruckVisit.driver_movement_id == movement.id).with_for_update()
    )
    if truck is None:
        return
    truck.driver_movement = _movement_summary(movement)
    if truck.state == TruckState.HELD.value and movement.decision == "admitted":
        truck.state = TruckState.QUEUED.value
        audit.record(
            db,
            actor=actor.label,
            action="truck.release_hold",
            subject_type="truck_visit",
            subject_id=truck.id,
            before={"state": TruckState.HELD.value},
            after={"state": TruckState.QUEUED.value, "driver_movement": movement.id},
        )


def read_driver(driver: DriverIn, *, today: date) -> dict[str, Any]:
    """The driver's identity from the MRZ (every failed check a 422 naming `driver.mrz.<field>`)
    or from the typed document."""
    if driver.mrz is not None:
        result = parse_mrz(driver.mrz, today=today)
        if not result.valid:
            raise errors.DomainError(
                "The driver's MRZ is not valid: "
                + "; ".join(f"{e.field}: {e.message}" for e in result.errors),
                slug="invalid-input",
                title="Invalid input",
                status=422,
                errors=[
                    errors.FieldError(f"driver.mrz.{e.field}", e.message) for e in result.errors
                ],
            )
        return {
            "source": "mrz",
            "document_type": result.document_type,
            "document_number": result.document_number,
            "issuing_state": result.issuing_state,
            "nationality": result.nationality,
            "surname": result.surname,
            "given_names": result.given_names or "",
            "birth_date": result.birth_date.isoformat() if result.birth_date else None,
            "sex": result.sex,
            "expiry_date": result.expiry_date.isoformat() if result.expiry_date else None,
            "expired": bool(result.expired),
        }
    doc = driver.document
    assert doc is not None  # the schema requires one of the two
    return {
        "source": "document",
        "document_type": doc.document_type,
        "document_number": doc.document_number,
        "issuing_state": doc.issuing_state,
        "nationality": doc.nationality,
        "surname": doc.surname,
        "given_names": doc.given_names,
        "birth_date": doc.birth_date.isoformat() if doc.birth_date else None,
        "sex": doc.sex,
        "expiry_date": doc.expiry_date.isoformat() if doc.expiry_date else None,
        "expired": doc.expiry_date < today if doc.expiry_date else False,
    }


def _screen_all(db: Session, people: list[tuple[str, PersonQuery]]) -> list[ScreeningOutcome]:
    """Screen the driver and the parties in one pass over the indexes; a name that cannot be
    screened is a 422 naming its field."""
    try:
        return screening.screen_people(db, [person for _, person in people])
    except errors.DomainError as exc:
        if exc.status != 422:
            raise
        for field, person in people:  # which one? (rare: ask each)
            try:
                screening.screen_person(db, name=person.name)
            except errors.DomainError as one:
                message = one.errors[0].message if one.errors else one.detail
                raise errors.invalid(field, f"cannot be screened: {message}") from exc
        raise


def screening_json(outcome: ScreeningOutcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "matches": [
            {
                "entry_id": h.entry_id,
                "list": h.list,
                "name": h.name,
                "matched_alias": h.matched_alias,
                "score": round(h.score, 3),
            }
            for h in outcome.matches
        ],
    }


def _reason(reason: Any) -> dict[str, str]:
    return {"rule_id": reason.rule_id, "lane": reason.lane.value, "message": reason.message}


def _trader_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()[:200]


def _known_traders(db: Session, crossing: Crossing, keys: set[str]) -> set[str]:
    """The traders among `keys` that have had a truck at the crossing."""
    known: set[str] = set()
    ordered = sorted(keys)
    for n in range(0, len(ordered), KEYS_PER_QUERY):
        known.update(
            db.scalars(
                select(TruckVisit.trader_key)
                .where(
                    TruckVisit.crossing_id == crossing.id,
                    TruckVisit.trader_key.in_(ordered[n : n + KEYS_PER_QUERY]),
                )
                .distinct()
            )
        )
    return known


def _arrived_within_window(
    crossing: Crossing, first: datetime, last: datetime
) -> tuple[ColumnElement[bool], ...]:
    """The crossing's arrivals that count for the capacity state of arrivals from `first` to
    `last`: within CAPACITY_WINDOW before one of them, up to its moment."""
    return (
        TruckVisit.crossing_id == crossing.id,
        TruckVisit.arrived_at > first - CAPACITY_WINDOW,
        TruckVisit.arrived_at <= last,
    )


@dataclass
class _LaneHistory:
    """The lanes given at the crossing by arrival time, for the capacity state of each arrival:
    the trucks that arrived within CAPACITY_WINDOW before it, up to its own moment."""

    times: dict[Lane, list[datetime]]

    @classmethod
    def read(cls, db: Session, crossing: Crossing, first: datetime, last: datetime) -> _LaneHistory:
        rows = db.execute(
            select(TruckVisit.lane, TruckVisit.arrived_at).where(
                *_arrived_within_window(crossing, first, last)
            )
        )
        times: dict[Lane, list[datetime]] = {}
        for lane, arrived_at in rows:
            times.setdefault(Lane(lane), []).append(arrived_at)
        for found in times.values():
            found.sort()
        return cls(times)

    def at(self, moment: datetime) -> CapacityState:
        since = moment - CAPACITY_WINDOW
        counts = {
            lane: bisect_right(found, moment) - bisect_right(found, since)
            for lane, found in self.times.items()
        }
        return CapacityState(recent_counts={lane: n for lane, n in counts.items() if n})

    def add(self, moment: datetime, lane: Lane) -> None:
        insort(self.times.setdefault(lane, []), moment)


@dataclass
class _LaneCounts:
    """One arrival's capacity state, counted by the database: the same numbers as `_LaneHistory`
    for its moment, without reading every arrival of the last CAPACITY_WINDOW (on a busy day,
    hundreds of rows for each truck)."""

    moment: datetime
    counts: dict[Lane, int]

    @classmethod
    def read(cls, db: Session, crossing: Crossing, moment: datetime) -> _LaneCounts:
        rows = db.execute(
            select(TruckVisit.lane, func.count())
            .where(*_arrived_within_window(crossing, moment, moment))
            .group_by(TruckVisit.lane)
        )
        return cls(moment, {Lane(lane): n for lane, n in rows})

    def at(self, moment: datetime) -> CapacityState:
        assert moment == self.moment, "counted for one arrival's moment"
        return CapacityState(recent_counts=dict(self.counts))  # GROUP BY counts no zeros

    def add(self, moment: datetime, lane: Lane) -> None:
        """Nothing arrives after the one truck it was counted for."""
