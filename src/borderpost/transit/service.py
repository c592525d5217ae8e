"""Transit use cases: open a transit with seals and a guarantee, discharge it, list the overdue.

A transit is opened for a truck visit whose declaration's regime is `transit`, once. The guarantee
(clearance's payment with method `guarantee`) secures the duties; its reference is kept here too,
because the office of destination discharges against it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo.models import TruckVisit
from borderpost.cargo.records import get_truck
from borderpost.crossing.models import Crossing
from borderpost.db import utcnow
from borderpost.transit.models import Transfer, TransitMovement
from borderpost.transit.rules import TransitState, state_after_discharge


def open_transit(
    db: Session,
    *,
    truck_id: str,
    seals: list[str],
    guarantee_ref: str,
    office_of_destination: str,
    time_limit_hours: int,
    actor: Actor,
    at: datetime | None = None,
) -> TransitMovement:
    at = at or utcnow()
    truck = get_truck(db, truck_id, for_update=True)
    if truck.regime != "transit":
        raise errors.conflict(
            "not-transit", f"The declaration's regime is {truck.regime}, not transit.",
            "Not a transit declaration",
        )  # fmt: skip
    if len(set(seals)) != len(seals):
        raise errors.invalid("seals", "a seal number is given twice")
    movement = TransitMovement(
        truck_visit_id=truck.id,
        crossing_id=truck.crossing_id,
        seals=list(seals),
        guarantee_ref=guarantee_ref,
        office_of_destination=office_of_destination,
        opened_at=at,
        due_at=at + timedelta(hours=time_limit_hours),
        opened_by=actor.label,
        state=TransitState.OPEN.value,
    )
    try:
        with db.begin_nested():  # the unique truck_visit_id: one transit per visit
            db.add(movement)
            db.flush()
    except IntegrityError as exc:
        raise errors.conflict(
            "transit-exists", "A transit is already open for this truck.", "Transit exists"
        ) from exc
    audit.record(
        db,
        actor=actor.label,
        action="transit.open",
        subject_type="transit_movement",
        subject_id=movement.id,
        after={
            "truck_visit": truck.id,
            "seals": movement.seals,
            "guarantee_ref": guarantee_ref,
            "office_of_destination": office_of_destination,
            "due_at": movement.due_at,
        },
    )
    return movement


def get_transit(db: Session, transit_id: str, *, for_update: bool = False) -> TransitMovement:
    if for_update and db.get_bind().dialect.name == "postgresql":
        movement = db.get(TransitMovement, transit_id, with_for_update=True, populate_existing=True)
    else:
        movement = db.get(TransitMovement, transit_id)
    if movement is None:
        raise errors.not_found("transit", transit_id)
    return movement


def discharge_transit(
    db: Session,
    *,
    transit_id: str,
    seals_found: list[str],
    note: str | None,
    actor: Actor,
    at: datetime | None = None,
) -> TransitMovement:
    """The truck reached the office of destination: the seals found end the transit."""
    at = at or utcnow()
    movement = get_transit(db, transit_id, for_update=True)
    if movement.state != TransitState.OPEN:
        raise errors.conflict(
            "already-discharged", "The transit has already been discharged.", "Already discharged"
        )
    if at < movement.opened_at:
        raise errors.invalid("at", "is before the transit was opened")
    state = state_after_discharge(movement.seals, seals_found)
    movement.state = state.value
    movement.discharged_at, movement.discharged_by = at, actor.label
    movement.seals_found, movement.discharge_note = list(seals_found), note
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="transit.discharge",
        subject_type="transit_movement",
        subject_id=movement.id,
        before={"state": TransitState.OPEN.value},
        after={"state": movement.state, "seals_found": movement.seals_found, "note": note},
    )
    return movement


def transit_of(db: Session, truck: TruckVisit) -> TransitMovement | None:
    return db.scalar(select(TransitMovement).where(TransitMovement.truck_visit_id == truck.id))


def overdue_transits(
    db: Session, *, crossing: Crossing, now: datetime | None = None, limit: int = 100
) -> list[tuple[TransitMovement, TruckVisit]]:
    """Transits opened at this crossing, not discharged, past their time limit: oldest first."""
    now = now or utcnow()
    rows = db.execute(
        select(TransitMovement, TruckVisit)
        .join(TruckVisit, TruckVisit.id == TransitMovement.truck_visit_id)
        .where(
            TransitMovement.crossing_id == crossing.id,
            TransitMovement.state == TransitState.OPEN.value,
            TransitMovement.due_at < now,
        )
        .order_by(TransitMovement.due_at, TransitMovement.id)
        .limit(limit)
    )
    return [(m, t) for m, t in rows]


def moved_kg(db: Session, truck: TruckVisit) -> dict[int, Decimal]:
    """Kilograms moved off each line of `truck` by transfers so far."""
    moved: dict[int, Decimal] = defaultdict(Decimal)
    rows = db.scalars(select(Transfer.lines).where(Transfer.from_truck_visit_id == truck.id))
    for lines in rows:
        for line in lines:
            moved[int(line["item_index"])] += Decimal(line["gross_kg"])
    return dict(moved)
