"""Cargo records shared by the use cases: look-ups, amounts, and the rule-to-problem mapping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.cargo.lanes import CargoRuleViolation
from borderpost.cargo.models import DeclarationItem, Inspection, TruckVisit
from borderpost.crossing.models import Crossing

THOUSAND = Decimal(1000)

_TITLES = {
    "inspection-required": "Inspection required",
    "detained": "Truck detained",
    "discrepancy-open": "Discrepancy not cleared",
    "already-released": "Truck already released",
    "invalid-transition": "Not possible in the truck's state",
}


@contextmanager
def cargo_rules() -> Iterator[None]:
    """Turn a pure rule's CargoRuleViolation into a 409 problem named by the rule's code."""
    try:
        yield
    except CargoRuleViolation as exc:
        raise errors.conflict(
            exc.code,
            exc.message[:1].upper() + exc.message[1:] + ".",
            _TITLES.get(exc.code, "") or "Conflict with the current state",
        ) from exc


def get_truck(db: Session, truck_id: str, *, for_update: bool = False) -> TruckVisit:
    """The visit; `for_update` locks its row on PostgreSQL (SQLite writers hold the database)."""
    if for_update and db.get_bind().dialect.name == "postgresql":
        truck = db.get(TruckVisit, truck_id, with_for_update=True, populate_existing=True)
    else:
        truck = db.get(TruckVisit, truck_id)
    if truck is None:
        raise errors.not_found("truck visit", truck_id)
    return truck


def items_of(db: Session, truck: TruckVisit) -> list[DeclarationItem]:
    query = select(DeclarationItem).where(DeclarationItem.truck_visit_id == truck.id)
    return list(db.scalars(query.order_by(DeclarationItem.line)))


def inspections_of(db: Session, truck: TruckVisit) -> list[Inspection]:
    query = select(Inspection).where(Inspection.truck_visit_id == truck.id)
    return list(db.scalars(query.order_by(Inspection.recorded_at, Inspection.id)))


def list_trucks(
    db: Session,
    *,
    crossing: Crossing,
    state: str | None,
    limit: int,
    before_id: str | None = None,
) -> list[TruckVisit]:
    """Truck visits at a crossing, newest first."""
    query = select(TruckVisit).where(TruckVisit.crossing_id == crossing.id)
    if state:
        query = query.where(TruckVisit.state == state)
    if before_id:
        query = query.where(TruckVisit.id < before_id)
    return list(db.scalars(query.order_by(TruckVisit.id.desc()).limit(limit)))


def from_thousandths(value: int) -> Decimal:
    return (Decimal(value) / THOUSAND).normalize() + 0  # "+ 0" drops a "-0"


def to_thousandths(value: Decimal) -> int:
    return int((value * THOUSAND).to_integral_exact())
