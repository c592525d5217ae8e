"""HTTP routes of the traveller domain: movements, travellers, group arrivals."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.auth import scope
from borderpost.auth.permissions import Permission as P
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing
from borderpost.paging import DEFAULT_LIMIT, MAX_LIMIT
from borderpost.problems import problem_responses
from borderpost.transaction import Reader, Tx, reading, writing
from borderpost.traveller import air, group_csv, groups, service
from borderpost.traveller.models import GroupArrival, GroupPerson, Movement
from borderpost.traveller.rules import Custody
from borderpost.traveller.schemas import (
    AirMovementCreate,
    CustodyChangeCreate,
    GroupArrivalCreate,
    GroupArrivalRead,
    GroupArrivalSummary,
    GroupCounts,
    HandoverCreate,
    HandoverRead,
    HandoverResult,
    MatchRead,
    MovementCreate,
    MovementRead,
    PersonCreate,
    PersonPage,
    PersonRead,
    PersonsCreate,
    PossibleMatch,
    ReasonRead,
    RegistrationRead,
    ResolutionCreate,
    ResolutionRead,
    ScreeningRead,
    TravellerFields,
    TravellerMovement,
    TravellerRead,
)

router = APIRouter(tags=["passengers"], responses=problem_responses(401, 403, 404, 422))
MAX_UPLOAD = 10 * 1024 * 1024


def movement_read(movement: Movement | service.RecordedMovement, code: str) -> MovementRead:
    resolution = None
    if movement.resolved_at is not None:
        assert movement.resolved_by is not None
        resolution = ResolutionRead(
            decision=movement.decision,
            note=movement.resolution_note or "",
            refusal_ground=movement.refusal_ground,
            resolved_at=movement.resolved_at,
            resolved_by=movement.resolved_by,
        )
    return MovementRead(
        id=movement.id,
        crossing=code,
        direction=movement.direction,
        decision=movement.decision,
        reasons=[ReasonRead(**r) for r in movement.reasons],
        traveller=TravellerFields(**movement.document),
        traveller_id=movement.traveller_id,
        screening=ScreeningRead(
            status=movement.screening_status,
            matches=[MatchRead(**m) for m in movement.screening_matches],
        ),
        travel_mode=movement.travel_mode,
        purpose=movement.purpose,
        source=movement.source,
        recorded_at=movement.recorded_at,
        recorded_by=movement.recorded_by,
        resolution=resolution,
        overstay_days=movement.overstay_days,
        stay_until=movement.stay_until,
        permit_id=movement.permit_id,
        point=movement.point,
        refusal_ground=movement.refusal_ground,
    )


def _code_of(db: Session, crossing_id: str) -> str:
    crossing = db.get(Crossing, crossing_id)
    assert crossing is not None
    return crossing.code


@router.post(
    "/crossings/{code}/movements",
    status_code=201,
    response_model=MovementRead,
    responses=problem_responses(409),
)
def record_movement(
    code: str, body: MovementCreate, tx: Tx = Depends(writing(P.MOVEMENT_WRITE))
) -> Response:
    crossing = service.booth_crossing(tx.db, code)
    movement = service.record_movement(
        tx.db,
        crossing=crossing,
        direction=body.direction,
        travel_mode=body.travel_mode,
        purpose=body.purpose,
        category=body.category,
        mrz=body.mrz,
        document=service.Document(**body.document.model_dump()) if body.document else None,
        actor=tx.actor,
    )
    return tx.done(movement_read(movement, crossing.code))


@router.post(
    "/crossings/{code}/air-movements",
    status_code=201,
    response_model=MovementRead,
    responses=problem_responses(409),
)
def record_air_movement(
    code: str, body: AirMovementCreate, tx: Tx = Depends(writing(P.MOVEMENT_RESOLVE))
) -> Response:
    """A crossing by air (point `airport`), so presence holds across every point of entry."""
    crossing = crossings.get_crossing(tx.db, code)
    movement = air.record_air_movement(
        tx.db,
        crossing=crossing,
        direction=body.direction,
        airport=body.airport,
        crossed_at=body.crossed_at,
        mrz=body.mrz,
        document=service.Document(**body.document.model_dump()) if body.document else None,
        actor=tx.actor,
    )
    return tx.done(movement_read(movement, crossing.code))


@router.get("/movements/{movement_id}", response_model=MovementRead)
def get_movement(movement_id: str, r: Reader = Depends(reading(P.MOVEMENT_READ))) -> MovementRead:
    movement = service.get_movement(r.db, movement_id)
    return movement_read(movement, _code_of(r.db, movement.crossing_id))


@router.post(
    "/movements/{movement_id}/resolution",
    response_model=MovementRead,
    responses=problem_responses(409),
)
def resolve_movement(
    movement_id: str, body: ResolutionCreate, tx: Tx = Depends(writing(P.MOVEMENT_RESOLVE))
) -> Response:
    movement = service.resolve_movement(
        tx.db,
        movement_id=movement_id,
        decision=body.decision,
        note=body.note,
        refusal_ground=body.refusal_ground,
        actor=tx.actor,
    )
    return tx.done(movement_read(movement, _code_of(tx.db, movement.crossing_id)), 200)


@router.get("/travellers", response_model=TravellerRead)
def find_traveller(
    document_number: Annotated[str, Query(min_length=1, max_length=20)],
    issuing_state: Annotated[str, Query(min_length=1, max_length=3)],
    r: Reader = Depends(reading(P.TRAVELLER_READ)),
) -> TravellerRead:
    traveller = service.find_traveller(
        r.db, document_number=document_number, issuing_state=issuing_state
    )
    movements = service.traveller_movements(r.db, traveller)
    visible = scope.require_any(r.db, r.actor, {m.crossing_id for m, _ in movements})
    return TravellerRead(
        id=traveller.id,
        traveller=TravellerFields.model_validate(traveller, from_attributes=True),
        present_in_country=service.present_in_country(traveller),
        last_crossed_at=traveller.last_crossed_at,
        movements=[
            TravellerMovement(
                id=m.id,
                crossing=code,
                direction=m.direction,
                decision=m.decision,
                reasons=[r["code"] for r in m.reasons],
                recorded_at=m.recorded_at,
            )
            for m, code in movements
            if m.crossing_id in visible
        ],
    )


# --- group arrivals ---------------------------------------------------------------------------


def counts_read(db: Session, group: GroupArrival) -> GroupCounts:
    return GroupCounts(**dataclasses.asdict(groups.counts(db, group)))


def person_read(p: GroupPerson) -> PersonRead:
    return PersonRead(
        id=p.id,
        surname=p.surname,
        given_names=p.given_names,
        birth_date=p.birth_date,
        nationality=p.nationality,
        document=p.document,
        rank=p.rank,
        unit=p.unit,
        wounded=p.wounded,
        items_surrendered=p.items_surrendered,
        screening=ScreeningRead(
            status=p.screening_status, matches=[MatchRead(**m) for m in p.screening_matches]
        ),
        custody_status=p.custody,
        custody_since=p.custody_since,
        handover_id=p.handover_id,
    )


def summary_read(db: Session, group: GroupArrival, code: str) -> GroupArrivalSummary:
    return GroupArrivalSummary(
        id=group.id,
        crossing=code,
        category=group.category,
        description=group.description,
        arrived_at=group.arrived_at,
        counts=counts_read(db, group),
    )


@router.post(
    "/crossings/{code}/group-arrivals", status_code=201, response_model=GroupArrivalSummary
)
def create_group_arrival(
    code: str, body: GroupArrivalCreate, tx: Tx = Depends(writing(P.GROUP_WRITE))
) -> Response:
    crossing = crossings.get_crossing(tx.db, code)
    group = groups.create_group_arrival(
        tx.db, crossing=crossing, **body.model_dump(), actor=tx.actor
    )
    return tx.done(summary_read(tx.db, group, crossing.code))


@router.get("/crossings/{code}/group-arrivals", response_model=list[GroupArrivalSummary])
def list_group_arrivals(
    code: str, r: Reader = Depends(reading(P.GROUP_READ))
) -> list[GroupArrivalSummary]:
    crossing = crossings.get_crossing(r.db, code)
    return [
        summary_read(r.db, g, crossing.code)
        for g in groups.list_group_arrivals(r.db, crossing=crossing)
    ]


def _register(tx: Tx, group_id: str, persons: list[PersonCreate], source: str) -> Response:
    group = groups.get_group_arrival(tx.db, group_id)
    new = [
        groups.NewPerson(
            **p.model_dump(exclude={"items_surrendered", "document"}),
            document=p.document.model_dump() if p.document else None,
            items_surrendered=[i.model_dump() for i in p.items_surrendered],  # type: ignore[union-attr]
        )
        for p in persons
    ]
    result = groups.register_persons(tx.db, group=group, persons=new, source=source, actor=tx.actor)
    return tx.done(
        RegistrationRead(
            batch_id=result.batch.id,
            registered=len(result.person_ids),
            possible_matches=[
                PossibleMatch(
                    person_id=pid,
                    index=index,
                    surname=person.surname,
                    given_names=person.given_names,
                    matches=[MatchRead(**h) for h in hits],
                )
                for index, pid, person, hits in result.possible_matches
            ],
            person_ids=result.person_ids,
            counts=counts_read(tx.db, group),
        )
    )


@router.post("/group-arrivals/{group_id}/persons", status_code=201, response_model=RegistrationRead)
def register_persons(
    group_id: str, body: PersonsCreate, tx: Tx = Depends(writing(P.GROUP_WRITE))
) -> Response:
    """Register 1 to 5,000 persons, all or nothing; every person screened."""
    return _register(tx, group_id, body.persons, "json")


@router.post(
    "/group-arrivals/{group_id}/persons/upload",
    status_code=201,
    response_model=RegistrationRead,
)
def upload_persons(
    group_id: str,
    file: Annotated[UploadFile, File(description="CSV, UTF-8, a header line; see the docs")],
    tx: Tx = Depends(writing(P.GROUP_WRITE)),
) -> Response:
    """The same as `/persons`, from a CSV file (columns as the JSON fields; see group_csv)."""
    data = file.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise errors.invalid("file", f"larger than {MAX_UPLOAD // 1024 // 1024} MB")
    groups.get_group_arrival(tx.db, group_id)
    return _register(tx, group_id, group_csv.parse_persons_csv(data), "csv")


@router.get("/group-arrivals/{group_id}", response_model=GroupArrivalRead)
def get_group_arrival(
    group_id: str,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    custody_status: Custody | None = None,
    r: Reader = Depends(reading(P.GROUP_READ)),
) -> GroupArrivalRead:
    """Counts by custody status, the handovers, and a page of persons (by id, `?cursor=`)."""
    group = groups.get_group_arrival(r.db, group_id)
    rows = groups.list_persons(
        r.db, group=group, limit=limit + 1, after_id=cursor, custody=custody_status
    )
    page = PersonPage(
        items=[person_read(p) for p in rows[:limit]],
        next_cursor=rows[limit - 1].id if len(rows) > limit else None,
    )
    return GroupArrivalRead(
        id=group.id,
        crossing=_code_of(r.db, group.crossing_id),
        category=group.category,
        description=group.description,
        arrived_at=group.arrived_at,
        counts=counts_read(r.db, group),
        handovers=[
            HandoverRead(
                id=h.id,
                to=h.handed_to,
                handed_over_at=h.handed_over_at,
                persons=h.persons,
                note=h.note,
            )
            for h in groups.handovers_of(r.db, group)
        ],
        persons=page,
    )


@router.post(
    "/group-arrivals/{group_id}/handovers",
    status_code=201,
    response_model=HandoverResult,
    responses=problem_responses(409),
)
def hand_over(
    group_id: str, body: HandoverCreate, tx: Tx = Depends(writing(P.GROUP_WRITE))
) -> Response:
    """Hand persons over to another authority; each person once only, all or nothing."""
    group = groups.get_group_arrival(tx.db, group_id)
    handover = groups.hand_over(
        tx.db,
        group=group,
        person_ids=body.person_ids,
        to=body.to,
        handed_over_at=body.handed_over_at,
        note=body.note,
        actor=tx.actor,
    )
    return tx.done(
        HandoverResult(
            handover_id=handover.id,
            handed_over=handover.persons,
            counts=counts_read(tx.db, group),
        )
    )


@router.post(
    "/group-arrivals/{group_id}/custody-changes",
    response_model=GroupCounts,
    responses=problem_responses(409),
)
def change_custody(
    group_id: str, body: CustodyChangeCreate, tx: Tx = Depends(writing(P.GROUP_WRITE))
) -> Response:
    """Move persons to hospital, back into custody, or release them."""
    group = groups.get_group_arrival(tx.db, group_id)
    groups.change_custody(
        tx.db,
        group=group,
        person_ids=body.person_ids,
        status=body.status,
        changed_at=body.changed_at,
        note=body.note,
        actor=tx.actor,
    )
    return tx.done(counts_read(tx.db, group), 200)
