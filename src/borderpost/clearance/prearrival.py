"""Pre-arrival declarations: lodged by the trader's agent before the truck comes, picked up by
their number when it arrives (the arrival then runs as any other: screening, lane, queue).

A number is lodged once per crossing (the unique constraint refuses a second lodging, even at
once) and picked up once: the arrival registers the truck with that declaration number, which
the truck visits' own constraint keeps unique, and marks the pre-arrival used in the same
transaction.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo.arrival import register_truck
from borderpost.cargo.models import TruckVisit
from borderpost.cargo.schemas import DeclarationIn, TruckArrival
from borderpost.clearance.models import PreArrival
from borderpost.crossing.models import Crossing
from borderpost.db import utcnow


def lodge(
    db: Session,
    *,
    crossing: Crossing,
    declaration: DeclarationIn,
    actor: Actor,
    at: datetime | None = None,
) -> PreArrival:
    at = at or utcnow()
    row = PreArrival(
        crossing_id=crossing.id,
        number=declaration.number,
        declaration=declaration.model_dump(mode="json"),
        lodged_at=at,
        lodged_by=actor.label,
    )
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError as exc:
        raise errors.conflict(
            "declaration-exists",
            f"Declaration {declaration.number} is already lodged at {crossing.code}.",
        ) from exc
    audit.record(
        db,
        actor=actor.label,
        action="pre_arrival.lodge",
        subject_type="pre_arrival",
        subject_id=row.id,
        after={"crossing": crossing.code, "number": row.number,
               "items": len(declaration.items), "regime": declaration.regime.value},
    )  # fmt: skip
    return row


def get_pre_arrival(db: Session, *, crossing: Crossing, number: str) -> PreArrival:
    row = db.scalar(
        select(PreArrival).where(
            PreArrival.crossing_id == crossing.id, PreArrival.number == number.strip().upper()
        )
    )
    if row is None:
        raise errors.not_found("pre-arrival declaration", number)
    return row


def arrive(
    db: Session,
    *,
    crossing: Crossing,
    number: str,
    truck: dict[str, object],
    secret: bytes,
    actor: Actor,
    at: datetime | None = None,
) -> TruckVisit:
    """The truck of a lodged declaration arrives: `truck` is the arrival without the declaration
    (direction, plate, registration_country, trailer_plate, driver)."""
    at = at or utcnow()
    row = get_pre_arrival(db, crossing=crossing, number=number)
    if row.truck_visit_id is not None:
        raise errors.conflict(
            "declaration-exists", f"Declaration {row.number} has already arrived."
        )
    try:
        arrival = TruckArrival.model_validate({**truck, "declaration": row.declaration})
    except ValidationError as exc:  # the truck does not fit the lodged declaration
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "direction"
        raise errors.invalid(field, first["msg"]) from exc
    visit = register_truck(
        db, crossing=crossing, arrival=arrival, secret=secret, actor=actor, at=at
    )
    row.truck_visit_id, row.arrived_at = visit.id, at
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="pre_arrival.arrive",
        subject_type="pre_arrival",
        subject_id=row.id,
        after={"truck_visit": visit.id},
    )
    return visit
