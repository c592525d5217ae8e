"""HTTP routes of the clearance domain: tariff, payments, permits, seizure cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.auth.permissions import Permission as P
from borderpost.cargo.models import DeclarationItem, TruckVisit
from borderpost.cargo.records import from_thousandths, get_truck
from borderpost.cargo.schemas import DeclarationIn, TruckVisitRead
from borderpost.clearance import amendment, cases, prearrival, service, tariff
from borderpost.clearance.amendment_schemas import AmendmentCreate, AmendmentRead, PreArrivalTruck
from borderpost.clearance.models import GoodsPermit, Payment, PreArrival, SeizureCase
from borderpost.clearance.schemas import (
    AssessmentRead,
    CasePhotoRead,
    CaseRead,
    CaseRef,
    HandoverCreate,
    PaymentCreate,
    PaymentRead,
    PermitCreate,
    PermitNeedRead,
    PermitRead,
    PreArrivalRead,
    RejectedRow,
    TariffImportReport,
    TariffRateRead,
    TariffRead,
)
from borderpost.crossing import service as crossings
from borderpost.db import utcnow
from borderpost.problems import problem_responses
from borderpost.transaction import Reader, Tx, reading, writing
from borderpost.validation import report_day

router = APIRouter(tags=["clearance"], responses=problem_responses(401, 403, 404, 422))
MAX_TARIFF = 5 * 1024 * 1024


def assessment_read(db: Session, truck_id: str) -> AssessmentRead:
    return truck_assessment_read(db, get_truck(db, truck_id))


def truck_assessment_read(
    db: Session,
    truck: TruckVisit,
    *,
    items: list[DeclarationItem] | None = None,
    just_arrived: bool = False,
) -> AssessmentRead:
    """The truck's assessment and the permits it still needs; `items` when the caller has read
    them, `just_arrived` for a truck registered in this transaction (nothing paid, permitted,
    amended or moved yet: none of it is read)."""
    if just_arrived:
        assert items is not None
        assessment = service.arrival_assessment(db, truck, items)
        missing = service.missing_permits(db, truck, items=items, permits=[])
    else:
        assessment = service.assessment_of(db, truck, items=items)
        missing = service.missing_permits(db, truck, items=items)
    needs = [
        PermitNeedRead(
            item_index=n.item_index,
            hs_code=n.hs_code,
            kind=n.heading.kind,
            issued_by=n.heading.issued_by,
            reason=n.heading.reason,
        )
        for n in missing
    ]
    return AssessmentRead.of(assessment, needs)


def case_ref(db: Session, truck_id: str) -> CaseRef | None:
    case = cases.case_of(db, get_truck(db, truck_id))
    return CaseRef(id=case.id, state=case.state) if case else None


def payment_read(p: Payment) -> PaymentRead:
    return PaymentRead(
        id=p.id,
        truck_id=p.truck_visit_id,
        receipt_number=p.receipt_number,
        method=p.method,
        amount=from_thousandths(p.amount_thousandths),
        currency=p.currency,
        assessed_amount=from_thousandths(p.assessed_thousandths),
        guarantee_ref=p.guarantee_ref,
        recorded_at=p.recorded_at,
    )


def permit_read(p: GoodsPermit) -> PermitRead:
    return PermitRead(
        id=p.id,
        truck_id=p.truck_visit_id,
        kind=p.kind,
        number=p.number,
        issued_by=p.issued_by,
        item_indexes=p.item_indexes,
        recorded_at=p.recorded_at,
    )


def case_read(db: Session, case: SeizureCase) -> CaseRead:
    truck = get_truck(db, case.truck_visit_id)
    return CaseRead(
        id=case.id,
        truck_id=truck.id,
        plate=truck.plate,
        state=case.state,
        findings=case.findings,
        items=case.items,
        driver=case.driver,
        photos=[
            CasePhotoRead(
                id=p.id,
                filename=p.filename,
                content_type=p.content_type,
                sha256=p.sha256,
                recorded_at=p.recorded_at,
            )
            for p in cases.photos_of(db, case)
        ],
        opened_at=case.opened_at,
        handed_over_to=case.handed_over_to,
        handover_note=case.handover_note,
        handed_over_at=case.handed_over_at,
    )


# ---------------------------------------------------------------------------- tariff
@router.post("/tariff/import", response_model=TariffImportReport)
def import_tariff(
    file: Annotated[UploadFile, File(description="CSV: hs_prefix,duty_percent[,description]")],
    # A form field is text: written YYYY-MM-DD and parsed strictly here (pydantic's lax date
    # would also take a timestamp or a date-time; an empty field reaches the route as None).
    valid_from: Annotated[
        str | None,
        Form(
            description="First day of the tariff (YYYY-MM-DD); today",
        ),
    ] = None,
    tx: Tx = Depends(writing(P.TARIFF_WRITE)),
) -> Response:
    """Replace the tariff in force from `valid_from`. A file with a bad row imports nothing."""
    data = file.file.read(MAX_TARIFF + 1)
    if len(data) > MAX_TARIFF:
        raise errors.invalid("file", "larger than 5 MB")
    try:
        first_day = date.fromisoformat(valid_from) if valid_from else None
    except ValueError:
        raise errors.invalid("valid_from", "is not a day (YYYY-MM-DD)") from None
    first_day = report_day("valid_from", first_day)
    result = tariff.import_tariff(tx.db, data=data, valid_from=first_day, actor=tx.actor)
    imported = 0 if result.rejected else len(result.rates)
    report = TariffImportReport(
        imported=imported,
        rejected=[RejectedRow(line=n, message=m) for n, m in result.rejected],
        valid_from=(first_day or utcnow().date()) if imported else None,
    )
    return tx.done(report, status_code=200)


@router.get("/tariff", response_model=TariffRead)
def get_tariff(
    day: Annotated[date | None, Query(description="The day; today by default")] = None,
    r: Reader = Depends(reading(P.TRUCK_READ)),
) -> TariffRead:
    """The tariff in force on a day: duty per cent by HS prefix (the longest prefix wins)."""
    day = report_day("day", day) or utcnow().date()
    return TariffRead(
        day=day,
        rates=[
            TariffRateRead(
                hs_prefix=t.hs_prefix, duty_percent=t.duty_percent, description=t.description
            )
            for t in tariff.tariff_in_force(r.db, day)
        ],
    )


# ---------------------------------------------------------------------------- a truck's clearance
@router.get("/trucks/{truck_id}/assessment", response_model=AssessmentRead)
def get_assessment(truck_id: str, r: Reader = Depends(reading(P.TRUCK_READ))) -> AssessmentRead:
    return assessment_read(r.db, truck_id)


@router.post(
    "/trucks/{truck_id}/payments",
    status_code=201,
    response_model=PaymentRead,
    responses=problem_responses(409),
)
def record_payment(
    truck_id: str, body: PaymentCreate, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    payment = service.record_payment(
        tx.db,
        truck_id=truck_id,
        receipt_number=body.receipt_number,
        amount=Decimal(body.amount),
        currency=body.currency,
        method=body.method,
        guarantee_ref=body.guarantee_ref,
        actor=tx.actor,
    )
    return tx.done(payment_read(payment))


@router.get("/trucks/{truck_id}/payments", response_model=list[PaymentRead])
def list_payments(truck_id: str, r: Reader = Depends(reading(P.TRUCK_READ))) -> list[PaymentRead]:
    return [payment_read(p) for p in service.payments_of(r.db, get_truck(r.db, truck_id))]


@router.post(
    "/trucks/{truck_id}/permits",
    status_code=201,
    response_model=PermitRead,
    responses=problem_responses(409),
)
def record_permit(
    truck_id: str, body: PermitCreate, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    permit = service.record_permit(tx.db, truck_id=truck_id, **body.model_dump(), actor=tx.actor)
    return tx.done(permit_read(permit))


@router.get("/trucks/{truck_id}/permits", response_model=list[PermitRead])
def list_permits(truck_id: str, r: Reader = Depends(reading(P.TRUCK_READ))) -> list[PermitRead]:
    return [permit_read(p) for p in service.permits_of(r.db, get_truck(r.db, truck_id))]


@router.post(
    "/trucks/{truck_id}/amendments",
    status_code=201,
    response_model=AmendmentRead,
    responses=problem_responses(409),
)
def amend_declaration(
    truck_id: str, body: AmendmentCreate, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    """Correct the declaration's items after a discrepancy: duties recomputed, a penalty on the
    extra duty (fees.json)."""
    a = amendment.amend_declaration(
        tx.db, truck_id=truck_id, items=body.items, reason=body.reason, actor=tx.actor
    )
    return tx.done(
        AmendmentRead(
            id=a.id,
            truck_id=a.truck_visit_id,
            reason=a.reason,
            duties_before=from_thousandths(a.duties_before_thousandths),
            duties_after=from_thousandths(a.duties_after_thousandths),
            penalty=from_thousandths(a.penalty_thousandths),
            recorded_at=a.recorded_at,
        )
    )


# ---------------------------------------------------------------------------- seizure cases
@router.get("/cases/{case_id}", response_model=CaseRead)
def get_case(case_id: str, r: Reader = Depends(reading(P.TRUCK_READ))) -> CaseRead:
    return case_read(r.db, cases.get_case(r.db, case_id))


@router.post("/cases/{case_id}/handover", response_model=CaseRead, responses=problem_responses(409))
def hand_over(
    case_id: str, body: HandoverCreate, tx: Tx = Depends(writing(P.CASE_WRITE))
) -> Response:
    case = cases.hand_over(tx.db, case_id=case_id, to=body.to, note=body.note, actor=tx.actor)
    return tx.done(case_read(tx.db, case), 200)


@router.post("/cases/{case_id}/photos", status_code=201, response_model=CasePhotoRead)
def add_photo(
    case_id: str,
    file: Annotated[UploadFile, File(description="A photo: JPEG, PNG or WebP, 10 MB at most")],
    tx: Tx = Depends(writing(P.CASE_WRITE)),
) -> Response:
    data = file.file.read(cases.MAX_PHOTO + 1)
    photo = cases.add_photo(
        tx.db,
        case_id=case_id,
        filename=file.filename or "photo",
        content_type=file.content_type or "",
        data=data,
        actor=tx.actor,
    )
    return tx.done(
        CasePhotoRead(
            id=photo.id,
            filename=photo.filename,
            content_type=photo.content_type,
            sha256=photo.sha256,
            recorded_at=photo.recorded_at,
        )
    )


@router.get("/cases/{case_id}/photos/{photo_id}", response_class=Response)
def get_photo(case_id: str, photo_id: str, r: Reader = Depends(reading(P.TRUCK_READ))) -> Response:
    photo = cases.get_photo(r.db, case_id, photo_id)
    return Response(
        photo.data,
        media_type=photo.content_type,
        headers={"Content-Disposition": "inline", "X-Content-Type-Options": "nosniff"},
    )


# ---------------------------------------------------------------------------- pre-arrival
def pre_arrival_read(row: PreArrival, code: str) -> PreArrivalRead:
    return PreArrivalRead(
        id=row.id,
        crossing=code,
        number=row.number,
        regime=row.declaration["regime"],
        items=len(row.declaration["items"]),
        lodged_at=row.lodged_at,
        truck_id=row.truck_visit_id,
        arrived_at=row.arrived_at,
    )


@router.post(
    "/crossings/{code}/pre-arrivals",
    status_code=201,
    response_model=PreArrivalRead,
    responses=problem_responses(409),
)
def lodge_pre_arrival(
    code: str, body: DeclarationIn, tx: Tx = Depends(writing(P.PRE_ARRIVAL_WRITE))
) -> Response:
    """The trader's agent lodges a declaration before the truck arrives."""
    crossing = crossings.get_crossing(tx.db, code)
    row = prearrival.lodge(tx.db, crossing=crossing, declaration=body, actor=tx.actor)
    return tx.done(pre_arrival_read(row, crossing.code))


@router.get("/crossings/{code}/pre-arrivals/{number}", response_model=PreArrivalRead)
def get_pre_arrival(
    code: str, number: str, r: Reader = Depends(reading(P.PRE_ARRIVAL_READ))
) -> PreArrivalRead:
    crossing = crossings.get_crossing(r.db, code)
    row = prearrival.get_pre_arrival(r.db, crossing=crossing, number=number[:40])
    return pre_arrival_read(row, crossing.code)


@router.post(
    "/crossings/{code}/pre-arrivals/{number}/arrival",
    status_code=201,
    response_model=TruckVisitRead,
    responses=problem_responses(409),
)
def arrive_pre_arrival(
    code: str, number: str, body: PreArrivalTruck, tx: Tx = Depends(writing(P.TRUCK_WRITE))
) -> Response:
    """The truck of a lodged declaration arrives: registered with that declaration."""
    crossing = crossings.get_crossing(tx.db, code)
    visit = prearrival.arrive(
        tx.db,
        crossing=crossing,
        number=number[:40],
        truck=body.model_dump(mode="json", exclude_none=True),
        secret=tx.settings.secret_key.encode(),
        actor=tx.actor,
    )
    from borderpost.cargo.api import truck_read  # cargo's answer builds on this module's

    return tx.done(truck_read(tx.db, visit, just_arrived=True))
