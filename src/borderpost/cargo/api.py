"""HTTP routes of the cargo domain: parse, call one service function, answer."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from borderpost.auth.permissions import Permission as P
from borderpost.cargo import hs_ar, priority, service
from borderpost.cargo.hs import lookup_subheading, search_hs
from borderpost.cargo.lanes import TruckState
from borderpost.cargo.models import DeclarationItem, Inspection, TruckVisit
from borderpost.cargo.profile import ActiveProfile, profile_version
from borderpost.cargo.queue_service import QueueSnapshot
from borderpost.cargo.queueing import PriorityClass, placement_reason
from borderpost.cargo.records import from_thousandths
from borderpost.cargo.schemas import (
    DeclarationRead,
    HsRef,
    InServiceRead,
    InspectionCreate,
    InspectionLanesRead,
    InspectionLanesSet,
    InspectionRead,
    ItemRead,
    QueueEntryRead,
    QueueRead,
    RiskProfileCreate,
    RiskProfileRead,
    RiskProfileSummary,
    RiskRead,
    TruckArrival,
    TruckVisitRead,
)
from borderpost.clearance import api as clearance_api
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing
from borderpost.paging import MAX_LIMIT, Page
from borderpost.problems import problem_responses
from borderpost.transaction import Reader, Tx, reading, writing

router = APIRouter(tags=["cargo"], responses=problem_responses(401, 403, 404, 422))
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=64)]


def hs_ref(code: str) -> HsRef:
    sub = lookup_subheading(code)
    return HsRef(
        hs_code=sub.code,
        hs_description=sub.description,
        chapter=sub.chapter,
        chapter_description=sub.chapter_description,
        name_ar=hs_ar.name_ar(sub.code),
    )


def item_read(item: DeclarationItem) -> ItemRead:
    return ItemRead(
        **hs_ref(item.hs_code).model_dump(),
        line=item.line,
        description=item.description,
        quantity=from_thousandths(item.quantity_thousandths),
        unit=item.unit,
        gross_kg=from_thousandths(item.gross_grams),
        value=from_thousandths(item.value_thousandths),
        currency=item.currency,
    )


def inspection_read(inspection: Inspection, truck_state: str | None = None) -> InspectionRead:
    return InspectionRead(
        id=inspection.id,
        truck_id=inspection.truck_visit_id,
        kind=inspection.kind,
        result=inspection.result,
        findings=inspection.findings,
        started_at=inspection.started_at,
        recorded_at=inspection.recorded_at,
        truck_state=truck_state,
    )


def truck_read(
    db: Session,
    truck: TruckVisit,
    *,
    queue: QueueSnapshot | None = None,
    just_arrived: bool = False,
) -> TruckVisitRead:
    """The truck as the API shows it. `just_arrived`: registered in this transaction, so it has
    no inspections, payments, permits, amendments, transfers or case yet, and none is read."""
    crossing = db.get(Crossing, truck.crossing_id)
    assert crossing is not None
    items = service.items_of(db, truck)
    values: dict[str, int] = defaultdict(int)
    for item in items:
        values[item.currency] += item.value_thousandths
    place = None
    if truck.state == TruckState.QUEUED:
        queue = queue or service.queue_snapshot(db, crossing=crossing)
        place = queue.position_of(truck.id)
    inspections = [] if just_arrived else service.inspections_of(db, truck)
    return TruckVisitRead(
        id=truck.id,
        crossing=crossing.code,
        direction=truck.direction,
        plate=truck.plate,
        registration_country=truck.registration_country,
        trailer_plate=truck.trailer_plate,
        state=truck.state,
        lane=truck.lane,
        lane_reasons=truck.lane_reasons,
        risk=RiskRead(
            profile_version=truck.risk_profile_version,
            selection_seed=truck.selection_seed,
            random_draw=truck.selection_draw,
            suppressed=truck.suppressed_reasons,
            inputs=truck.risk_inputs,
        ),
        priority_class=PriorityClass(truck.priority_class).name.lower(),
        placement_reason=placement_reason(PriorityClass(truck.priority_class)),
        humanitarian_confirmed_at=truck.humanitarian_confirmed_at,
        queue_position=place.queue_position if place else None,
        estimated_wait_minutes=place.estimated_wait_minutes if place else None,
        driver=truck.driver,
        driver_screening=truck.driver_screening,
        driver_movement=truck.driver_movement,
        declaration=DeclarationRead(
            number=truck.declaration_number,
            regime=truck.regime,
            exporter=truck.exporter,
            importer=truck.importer,
            origin_country=truck.origin_country,
            destination_country=truck.destination_country,
            temperature_controlled=truck.temperature_controlled,
            humanitarian=truck.humanitarian,
            party_screening=truck.party_screening,
            items=[item_read(i) for i in items],
            gross_kg=from_thousandths(sum(i.gross_grams for i in items)),
            value_by_currency={c: from_thousandths(v) for c, v in sorted(values.items())},
        ),
        inspections=[inspection_read(i) for i in inspections],
        assessment=clearance_api.truck_assessment_read(
            db, truck, items=items, just_arrived=just_arrived
        ),
        case=None if just_arrived else clearance_api.case_ref(db, truck.id),
        post_clearance_audit=truck.post_clearance_audit,
        arrived_at=truck.arrived_at,
        service_started_at=truck.service_started_at,
        released_at=truck.released_at,
        detained_at=truck.detained_at,
    )


def queue_read(crossing: Crossing, q: QueueSnapshot) -> QueueRead:
    return QueueRead(
        crossing=crossing.code,
        at=q.at,
        lanes_open=q.lanes_open,
        items=[
            QueueEntryRead(
                queue_position=w.queue_position,
                id=w.truck_id,
                plate=w.plate,
                direction=w.direction,
                lane=w.lane,
                priority_class=w.priority_class.name.lower(),
                placement_reason=placement_reason(w.priority_class),
                arrived_at=w.arrived_at,
                estimated_wait_minutes=w.estimated_wait_minutes,
            )
            for w in q.waiting
        ],
        in_service=[
            InServiceRead(
                id=s.truck_id,
                plate=s.plate,
                lane=s.lane,
                state=s.state,
                service_started_at=s.service_started_at,
            )
            for s in q.in_service
        ],
        mean_service_minutes=q.mean_service_minutes,
        new_arrival_wait_minutes=q.new_arrival_wait_minutes,
    )


def profile_read(active: ActiveProfile) -> RiskProfileRead:
    p = active.profile
    return RiskProfileRead(
        version=p.version,
        name=p.name,
        rules=p.rules,
        random_selections=p.random_selections,
        capacity_share=p.capacity_share,
        unit_values=p.unit_values,
        sha256=active.sha256,
        note=active.note,
        created_at=active.created_at,
        created_by=active.created_by,
    )


# ---------------------------------------------------------------------------- trucks
@router.post(
    "/crossings/{code}/trucks",
    status_code=201,
    response_model=TruckVisitRead,
    responses=problem_responses(409),
)
def register_truck(
    code: str, body: TruckArrival, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    crossing = crossings.get_crossing(tx.db, code)
    truck = service.register_truck(
        tx.db,
        crossing=crossing,
        arrival=body,
        secret=tx.settings.secret_key.encode(),
        actor=tx.actor,
    )
    return tx.done(truck_read(tx.db, truck, just_arrived=True))


@router.get("/crossings/{code}/trucks", response_model=Page[TruckVisitRead])
def list_trucks(
    code: str,
    state: TruckState | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Cursor = None,
    r: Reader = Depends(reading(P.TRUCK_READ)),
) -> Page[TruckVisitRead]:
    crossing = crossings.get_crossing(r.db, code)
    rows = service.list_trucks(
        r.db, crossing=crossing, state=state, limit=limit + 1, before_id=cursor
    )
    queue = service.queue_snapshot(r.db, crossing=crossing) if rows else None
    items = [truck_read(r.db, t, queue=queue) for t in rows]
    return Page.of(items, limit, lambda item: item.id)


@router.get("/trucks/{truck_id}", response_model=TruckVisitRead)
def get_truck(truck_id: str, r: Reader = Depends(reading(P.TRUCK_READ))) -> TruckVisitRead:
    return truck_read(r.db, service.get_truck(r.db, truck_id))


@router.post(
    "/trucks/{truck_id}/call", response_model=TruckVisitRead, responses=problem_responses(409)
)
def call_truck(truck_id: str, tx: Tx = Depends(writing(P.TRUCK_WRITE))) -> Response:
    """Call the truck from the queue to an inspection lane: its service starts."""
    truck = service.call_truck(tx.db, truck_id=truck_id, actor=tx.actor)
    return tx.done(truck_read(tx.db, truck), 200)


@router.post(
    "/trucks/{truck_id}/inspections",
    status_code=201,
    response_model=InspectionRead,
    responses=problem_responses(409),
)
def record_inspection(
    truck_id: str, body: InspectionCreate, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    inspection = service.record_inspection(
        tx.db, truck_id=truck_id, **body.model_dump(), actor=tx.actor
    )
    truck = service.get_truck(tx.db, truck_id)
    return tx.done(inspection_read(inspection, truck.state))


@router.post(
    "/trucks/{truck_id}/release", response_model=TruckVisitRead, responses=problem_responses(409)
)
def release_truck(truck_id: str, tx: Tx = Depends(writing(P.TRUCK_WRITE))) -> Response:
    truck = service.release_truck(tx.db, truck_id=truck_id, actor=tx.actor)
    return tx.done(truck_read(tx.db, truck), 200)


@router.post(
    "/trucks/{truck_id}/humanitarian-confirmation",
    response_model=TruckVisitRead,
    responses=problem_responses(409),
)
def confirm_humanitarian(
    truck_id: str, tx: Tx = Depends(writing(P.TRUCK_PRIORITY_CONFIRM))
) -> Response:
    """A supervisor confirms a self-declared humanitarian load: the truck joins the first class."""
    truck = priority.confirm_humanitarian(tx.db, truck_id=truck_id, actor=tx.actor)
    return tx.done(truck_read(tx.db, truck), 200)


# ---------------------------------------------------------------------------- queue
@router.get("/crossings/{code}/queue", response_model=QueueRead)
def get_queue(code: str, r: Reader = Depends(reading(P.CROSSING_READ))) -> QueueRead:
    crossing = crossings.get_crossing(r.db, code)
    return queue_read(crossing, service.queue_snapshot(r.db, crossing=crossing))


@router.get("/crossings/{code}/inspection-lanes", response_model=InspectionLanesRead)
def get_inspection_lanes(
    code: str, r: Reader = Depends(reading(P.CROSSING_READ))
) -> InspectionLanesRead:
    crossing = crossings.get_crossing(r.db, code)
    lanes, since = service.open_lanes(r.db, crossing)
    return InspectionLanesRead(crossing=crossing.code, open=lanes, since=since)


@router.post(
    "/crossings/{code}/inspection-lanes", status_code=201, response_model=InspectionLanesRead
)
def set_inspection_lanes(
    code: str, body: InspectionLanesSet, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    crossing = crossings.get_crossing(tx.db, code)
    row = service.set_open_lanes(tx.db, crossing=crossing, open=body.open, actor=tx.actor)
    return tx.done(
        InspectionLanesRead(crossing=crossing.code, open=row.open_lanes, since=row.since)
    )


# ---------------------------------------------------------------------------- HS look-up
@router.get("/hs-codes", response_model=list[HsRef])
def find_hs_codes(
    q: Annotated[str, Query(min_length=1, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    r: Reader = Depends(reading(P.TRUCK_READ)),
) -> list[HsRef]:
    """HS 2022 subheadings by code prefix (`8703`) or words (`portland cement`, `إسمنت`)."""
    r.confirm()
    found = hs_ar.search_hs_ar(q, limit=limit) if hs_ar.is_arabic(q) else search_hs(q, limit=limit)
    return [hs_ref(s.code) for s in found]


# ---------------------------------------------------------------------------- risk profile
@router.get("/risk-profile", response_model=RiskProfileRead)
def get_risk_profile(r: Reader = Depends(reading(P.TRUCK_READ))) -> RiskProfileRead:
    """The selectivity profile in force now."""
    return profile_read(service.active_profile(r.db))


@router.get("/risk-profile/versions", response_model=list[RiskProfileSummary])
def list_risk_profiles(r: Reader = Depends(reading(P.TRUCK_READ))) -> list[RiskProfileSummary]:
    return [
        RiskProfileSummary(
            version=a.version,
            name=a.profile.name,
            rules=len(a.profile.rules),
            sha256=a.sha256,
            note=a.note,
            created_at=a.created_at,
            created_by=a.created_by,
        )
        for a in service.list_versions(r.db)
    ]


@router.get("/risk-profile/versions/{version}", response_model=RiskProfileRead)
def get_risk_profile_version(
    version: Annotated[int, Path(ge=1, le=2**31 - 1)], r: Reader = Depends(reading(P.TRUCK_READ))
) -> RiskProfileRead:
    return profile_read(profile_version(r.db, version))


@router.post("/risk-profile", status_code=201, response_model=RiskProfileRead)
def publish_risk_profile(
    body: RiskProfileCreate, tx: Tx = Depends(writing(P.RISK_PROFILE_WRITE))
) -> Response:
    """Post a new version of the selectivity profile; it applies to trucks arriving from now."""
    active = service.publish_profile(
        tx.db,
        name=body.name,
        rules=body.rules,
        random_selections=body.random_selections,
        capacity_share={k.value: v for k, v in body.capacity_share.items()},
        unit_values=body.unit_values,
        note=body.note,
        actor=tx.actor,
    )
    return tx.done(profile_read(active))
