"""The transfer zone: goods moved from one truck to another, kilograms balanced per line.

The receiving truck is registered through cargo's arrival (screened, given its lane and queue
place) with a declaration made of the goods moved: the source's parties and route, each line's
value and quantity in proportion to the kilograms moved. The source keeps its declaration; what
is left on each of its lines is its declared mass less what left it, and clearance assesses it
on what is left (a fully unloaded truck owes its fees only).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo.arrival import register_truck
from borderpost.cargo.lanes import TruckState
from borderpost.cargo.models import TruckVisit
from borderpost.cargo.records import from_thousandths, get_truck, items_of
from borderpost.cargo.schemas import DriverIn, TruckArrival
from borderpost.crossing.models import Crossing
from borderpost.db import utcnow
from borderpost.transit.models import Transfer
from borderpost.transit.rules import check_transfer_line
from borderpost.transit.service import moved_kg

QUANTUM = Decimal("0.001")


def transfer_goods(
    db: Session,
    *,
    from_truck_id: str,
    plate: str,
    registration_country: str,
    trailer_plate: str | None,
    driver: DriverIn,
    declaration_number: str,
    lines: list[tuple[int, Decimal]],
    seals_removed: list[str],
    seals_applied: list[str],
    secret: bytes,
    actor: Actor,
    at: datetime | None = None,
) -> tuple[Transfer, TruckVisit]:
    at = at or utcnow()
    source = get_truck(db, from_truck_id, for_update=True)  # serialises transfers off one truck
    if source.state in (TruckState.RELEASED, TruckState.DETAINED):
        raise errors.conflict(
            source.state if source.state == "detained" else "already-released",
            f"The truck is {source.state}: its goods cannot be transferred.",
        )
    items = {i.line: i for i in items_of(db, source)}
    moved = moved_kg(db, source)
    new_items: list[dict[str, Any]] = []
    record: list[dict[str, Any]] = []
    seen: set[int] = set()
    for n, (index, kg) in enumerate(lines):
        item = items.get(index)
        if item is None or index in seen:
            why = "is given twice" if index in seen else f"the declaration has no item {index}"
            raise errors.invalid(f"lines[{n}].item_index", why)
        seen.add(index)
        declared = from_thousandths(item.gross_grams)
        problem = check_transfer_line(declared, [moved.get(index, Decimal(0))], kg)
        if problem:
            raise errors.invalid(f"lines[{n}].gross_kg", problem)
        share = kg / declared
        new_items.append(
            {
                "hs_code": item.hs_code,
                "description": item.description,
                "quantity": max(
                    (from_thousandths(item.quantity_thousandths) * share).quantize(QUANTUM),
                    QUANTUM,
                ),
                "unit": item.unit,
                "gross_kg": kg,
                "value": (from_thousandths(item.value_thousandths) * share).quantize(QUANTUM),
                "currency": item.currency,
            }
        )
        record.append({"item_index": index, "gross_kg": str(kg), "to_item_index": n + 1})
    crossing = db.get(Crossing, source.crossing_id)
    assert crossing is not None
    arrival = TruckArrival.model_validate(
        {
            "direction": source.direction,
            "plate": plate,
            "registration_country": registration_country,
            "trailer_plate": trailer_plate,
            "driver": driver.model_dump(exclude_none=True),
            "declaration": {
                "number": declaration_number,
                "regime": source.regime,
                "exporter": source.exporter,
                "importer": source.importer,
                "origin_country": source.origin_country,
                "destination_country": source.destination_country,
                "temperature_controlled": source.temperature_controlled,
                "items": new_items,
            },
        }
    )
    receiving = register_truck(
        db, crossing=crossing, arrival=arrival, secret=secret, actor=actor, at=at
    )
    transfer = Transfer(
        from_truck_visit_id=source.id,
        to_truck_visit_id=receiving.id,
        lines=record,
        seals_removed=list(seals_removed),
        seals_applied=list(seals_applied),
        recorded_at=at,
        recorded_by=actor.label,
    )
    db.add(transfer)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="transfer.record",
        subject_type="truck_visit",
        subject_id=source.id,
        after={
            "transfer_id": transfer.id,
            "to_truck_visit": receiving.id,
            "lines": record,
            "seals_removed": transfer.seals_removed,
            "seals_applied": transfer.seals_applied,
        },
    )
    return transfer, receiving
