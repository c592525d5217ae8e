"""Clearance on the customs page: what a truck still needs before release, payments and permits
recorded in place (the forms sit in the truck's row of the cargo page)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from borderpost import errors
from borderpost.auth.permissions import Permission as P
from borderpost.cargo.models import TruckVisit
from borderpost.cargo.pages import action_failed
from borderpost.cargo.records import get_truck
from borderpost.clearance import cases, service
from borderpost.clearance.rules import PaymentMethod
from borderpost.clearance.schemas import HandoverCreate, PaymentCreate, PermitCreate
from borderpost.errors import DomainError
from borderpost.web.edge import PageReader, PageRoute, PageTx, page_reading, page_writing
from borderpost.web.edge import redirect_after_post as done
from borderpost.web.flow import crossing_for, field_errors
from borderpost.web.i18n import isolate_in
from borderpost.web.templating import gettext, lang_of, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _back(request: Request, tx: PageTx, code: str, truck_id: str, body: Any, record: Any) -> Any:
    """Validate, record, and redirect to the cargo page; on a refusal, the page with the error
    in the truck's row (the cargo page renders it)."""
    crossing = crossing_for(request, tx.db, code)
    _ = gettext(request)
    truck = get_truck(tx.db, truck_id[:32])
    status = 422
    try:
        if truck.crossing_id != crossing.id:
            raise errors.not_found("truck visit", truck_id)
        message = record(body(), truck)
        tx.commit()
        return done(
            request,
            f"/crossings/{crossing.code}/cargo",
            message % {"plate": isolate_in(lang_of(request), truck.plate)},
        )
    except DomainError as exc:
        tx.db.rollback()
        status = exc.status
        form = field_errors(exc, tx.form, _, lambda loc: loc.split(".")[-1])
    except ValueError as exc:  # pydantic's ValidationError
        form = field_errors(exc, tx.form, _, lambda loc: loc.split(".")[0])
    return action_failed(request, tx.db, crossing, truck.id, form, status)


@router.post("/crossings/{code}/cargo/trucks/{truck_id}/payments")
def record_payment(
    request: Request, code: str, truck_id: str, tx: PageTx = Depends(page_writing(P.TRUCK_WRITE))
):
    f = tx.form
    _ = gettext(request)

    def body() -> PaymentCreate:
        try:
            amount: Any = Decimal(f.get("amount") or "")
        except InvalidOperation:
            amount = f.get("amount")
        return PaymentCreate.model_validate(
            {
                "receipt_number": f.get("receipt_number") or "",
                "amount": amount,
                "currency": f.get("currency") or "IQD",
                "method": f.get("method") or PaymentMethod.CASH.value,
                "guarantee_ref": f.get("guarantee_ref") or None,
            }
        )

    def record(p: PaymentCreate, truck: TruckVisit) -> str:
        service.record_payment(
            tx.db, truck_id=truck.id, receipt_number=p.receipt_number, amount=p.amount,
            currency=p.currency, method=p.method, guarantee_ref=p.guarantee_ref, actor=tx.actor,
        )  # fmt: skip
        return _("Payment for %(plate)s recorded.")

    return _back(request, tx, code, truck_id, body, record)


@router.post("/crossings/{code}/cargo/trucks/{truck_id}/permits")
def record_permit(
    request: Request, code: str, truck_id: str, tx: PageTx = Depends(page_writing(P.TRUCK_WRITE))
):
    f = tx.form
    _ = gettext(request)

    def body() -> PermitCreate:
        index = (f.get("item_index") or "").strip()
        return PermitCreate.model_validate(
            {
                "kind": f.get("kind") or "",
                "number": f.get("number") or "",
                "issued_by": f.get("issued_by") or "",
                "item_indexes": [index] if index else None,
            }
        )

    def record(p: PermitCreate, truck: TruckVisit) -> str:
        service.record_permit(
            tx.db, truck_id=truck.id, kind=p.kind, number=p.number, issued_by=p.issued_by,
            item_indexes=p.item_indexes, actor=tx.actor,
        )  # fmt: skip
        return _("Permit for %(plate)s recorded.")

    return _back(request, tx, code, truck_id, body, record)


# --- seizure cases ----------------------------------------------------------------------------
CASE = "cargo/case.html"


def _case_here(db: Any, crossing: Any, case_id: str) -> Any:
    case = cases.get_case(db, case_id[:32])
    if get_truck(db, case.truck_visit_id).crossing_id != crossing.id:
        raise errors.not_found("case", case_id)
    return case


def _case_context(db: Any, crossing: Any, case: Any) -> dict[str, Any]:
    return {
        "crossing": crossing,
        "section": "cargo",
        "case": case,
        "truck": get_truck(db, case.truck_visit_id),
        "photos": cases.photos_of(db, case),
    }


@router.get("/crossings/{code}/cargo/cases/{case_id}")
def case_page(
    request: Request, code: str, case_id: str, r: PageReader = Depends(page_reading(P.TRUCK_READ))
):
    crossing = crossing_for(request, r.db, code)
    return render(request, CASE, _case_context(r.db, crossing, _case_here(r.db, crossing, case_id)))


@router.get("/crossings/{code}/cargo/cases/{case_id}/photos/{photo_id}")
def case_photo(
    request: Request,
    code: str,
    case_id: str,
    photo_id: str,
    r: PageReader = Depends(page_reading(P.TRUCK_READ)),
):
    crossing = crossing_for(request, r.db, code)
    case = _case_here(r.db, crossing, case_id)
    photo = cases.get_photo(r.db, case.id, photo_id[:32])
    return Response(
        photo.data,
        media_type=photo.content_type,
        headers={"Content-Disposition": "inline", "X-Content-Type-Options": "nosniff"},
    )


@router.post("/crossings/{code}/cargo/cases/{case_id}/handover")
def hand_over(
    request: Request, code: str, case_id: str, tx: PageTx = Depends(page_writing(P.CASE_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    case = _case_here(tx.db, crossing, case_id)
    _ = gettext(request)
    page = f"/crossings/{crossing.code}/cargo/cases/{case.id}"
    try:
        body = HandoverCreate.model_validate(
            {"to": tx.form.get("to") or "", "note": tx.form.get("note") or None}
        )
        cases.hand_over(tx.db, case_id=case.id, to=body.to, note=body.note, actor=tx.actor)
        tx.commit()
        return done(
            request,
            page,
            _("Case handed over to %(to)s.") % {"to": isolate_in(lang_of(request), body.to)},
        )
    except DomainError as exc:
        tx.db.rollback()
        form, status = field_errors(exc, tx.form, _, lambda loc: loc), exc.status
    except ValueError as exc:
        form, status = field_errors(exc, tx.form, _, lambda loc: loc.split(".")[0]), 422
    ctx = _case_context(tx.db, crossing, cases.get_case(tx.db, case.id))
    ctx["forms"] = {"handover": form}
    return render(request, CASE, ctx, status=status)


@router.post("/crossings/{code}/cargo/cases/{case_id}/photos")
def add_photo(
    request: Request, code: str, case_id: str, tx: PageTx = Depends(page_writing(P.CASE_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    case = _case_here(tx.db, crossing, case_id)
    _ = gettext(request)
    page = f"/crossings/{crossing.code}/cargo/cases/{case.id}"
    upload = tx.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise errors.invalid("file", _("This field is required."))
        cases.add_photo(
            tx.db, case_id=case.id, filename=upload.filename,
            content_type=upload.content_type or "", data=upload.file.read(cases.MAX_PHOTO + 1),
            actor=tx.actor,
        )  # fmt: skip
        tx.commit()
        return done(request, page, _("Photo added."))
    except DomainError as exc:
        tx.db.rollback()
        ctx = _case_context(tx.db, crossing, case)
        ctx["forms"] = {"photo": field_errors(exc, tx.form, _, lambda loc: loc)}
        return render(request, CASE, ctx, status=exc.status)
