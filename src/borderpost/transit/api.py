"""HTTP routes of the transit domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from borderpost.auth.permissions import Permission as P
from borderpost.cargo.models import TruckVisit
from borderpost.cargo.records import get_truck
from borderpost.crossing import service as crossings
from borderpost.db import utcnow
from borderpost.problems import problem_responses
from borderpost.transaction import Reader, Tx, reading, writing
from borderpost.transit import service, transfer
from borderpost.transit.models import TransitMovement
from borderpost.transit.rules import is_overdue, overdue_hours
from borderpost.transit.schemas import (
    TransferCreate,
    TransferRead,
    TransitDischarge,
    TransitOpen,
    TransitRead,
)

router = APIRouter(tags=["transit"], responses=problem_responses(401, 403, 404, 422))


def transit_read(m: TransitMovement, truck: TruckVisit) -> TransitRead:
    now = utcnow()
    return TransitRead(
        id=m.id,
        truck_id=truck.id,
        plate=truck.plate,
        declaration_number=truck.declaration_number,
        seals=m.seals,
        guarantee_ref=m.guarantee_ref,
        office_of_destination=m.office_of_destination,
        state=m.state,
        opened_at=m.opened_at,
        due_at=m.due_at,
        overdue=is_overdue(m.state, m.due_at, now),
        overdue_hours=overdue_hours(m.due_at, now) if is_overdue(m.state, m.due_at, now) else 0,
        discharged_at=m.discharged_at,
        seals_found=m.seals_found,
        discharge_note=m.discharge_note,
    )


@router.post(
    "/trucks/{truck_id}/transit",
    status_code=201,
    response_model=TransitRead,
    responses=problem_responses(409),
)
def open_transit(
    truck_id: str, body: TransitOpen, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    """Open the truck's transit: seals applied, the guarantee, where and by when it ends."""
    movement = service.open_transit(tx.db, truck_id=truck_id, **body.model_dump(), actor=tx.actor)
    return tx.done(transit_read(movement, get_truck(tx.db, truck_id)))


@router.get("/transits/{transit_id}", response_model=TransitRead)
def get_transit(transit_id: str, r: Reader = Depends(reading(P.TRUCK_READ))) -> TransitRead:
    movement = service.get_transit(r.db, transit_id)
    return transit_read(movement, get_truck(r.db, movement.truck_visit_id))


@router.post(
    "/transits/{transit_id}/discharge",
    response_model=TransitRead,
    responses=problem_responses(409),
)
def discharge_transit(
    transit_id: str, body: TransitDischarge, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    """At the office of destination: the seals found discharge the transit."""
    movement = service.discharge_transit(
        tx.db, transit_id=transit_id, seals_found=body.seals_found, note=body.note, actor=tx.actor
    )
    return tx.done(transit_read(movement, get_truck(tx.db, movement.truck_visit_id)), 200)


@router.get("/crossings/{code}/transits/overdue", response_model=list[TransitRead])
def overdue_transits(
    code: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    r: Reader = Depends(reading(P.TRUCK_READ)),
) -> list[TransitRead]:
    """Transits opened here and not discharged by their time limit, the most overdue first."""
    crossing = crossings.get_crossing(r.db, code)
    rows = service.overdue_transits(r.db, crossing=crossing, limit=limit)
    return [transit_read(m, t) for m, t in rows]


@router.post(
    "/trucks/{truck_id}/transfers",
    status_code=201,
    response_model=TransferRead,
    responses=problem_responses(409),
)
def transfer_goods(
    truck_id: str, body: TransferCreate, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    """Transfer zone: goods moved from this truck to another, which gets a visit of its own."""
    transfer_row, receiving = transfer.transfer_goods(
        tx.db,
        from_truck_id=truck_id,
        plate=body.plate,
        registration_country=body.registration_country,
        trailer_plate=body.trailer_plate,
        driver=body.driver,
        declaration_number=body.declaration_number,
        lines=[(line.item_index, line.gross_kg) for line in body.lines],
        seals_removed=body.seals_removed,
        seals_applied=body.seals_applied,
        secret=tx.settings.secret_key.encode(),
        actor=tx.actor,
    )
    return tx.done(
        TransferRead(
            id=transfer_row.id,
            from_truck_id=transfer_row.from_truck_visit_id,
            to_truck_id=receiving.id,
            lines=transfer_row.lines,
            seals_removed=transfer_row.seals_removed,
            seals_applied=transfer_row.seals_applied,
            recorded_at=transfer_row.recorded_at,
        )
    )
