"""Pages of the admission domain: the supervisor's permits, document alerts and country rules,
and the refusal of entry printed from a movement in Arabic and English."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.admission import service
from borderpost.admission.country_rules import known_states, rules_for
from borderpost.admission.schemas import AlertCreate, CancellationCreate, PermitCreate
from borderpost.auth.permissions import Permission as P
from borderpost.crossing.models import Crossing
from borderpost.errors import DomainError
from borderpost.traveller import air
from borderpost.traveller import service as travellers
from borderpost.traveller.schemas import AirMovementCreate
from borderpost.web import i18n
from borderpost.web.edge import PageReader, PageRoute, PageTx, page_reading, page_writing
from borderpost.web.edge import redirect_after_post as done
from borderpost.web.flow import crossing_for, field_errors, local_datetime
from borderpost.web.forms import Form, english_detail
from borderpost.web.labels import labels
from borderpost.web.templating import gettext, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE = "admission/admission.html"
REFUSAL = "admission/refusal.html"
MAX_UPLOAD = 20 * 1024 * 1024


def admission_context(
    db: Session, crossing: Crossing, *, number: str = "", state: str = ""
) -> dict[str, Any]:
    found_permits, found_alerts = [], []
    if number and state:
        found_permits = service.permits_of(db, document_number=number, issuing_state=state)
        found_alerts = service.alerts_of(db, document_number=number, issuing_state=state)
    own = rules_for(crossing.country)
    return {
        "crossing": crossing,
        "section": "admission",
        "rules": own,
        "other_rules": [rules_for(s) for s in known_states() if s != crossing.country],
        "permits": service.recent_permits(db),
        "alerts": service.recent_alerts(db),
        "status_of": service.permit_status,
        "lookup": {"number": number, "state": state},
        "found_permits": found_permits,
        "found_alerts": found_alerts,
    }


@router.get("/crossings/{code}/admission")
def admission_page(
    request: Request,
    code: str,
    document_number: str = "",
    issuing_state: str = "",
    r: PageReader = Depends(page_reading(P.PERMIT_WRITE)),
):
    crossing = crossing_for(request, r.db, code)
    ctx = admission_context(
        r.db,
        crossing,
        number=document_number.strip().upper()[:20],
        state=issuing_state.strip().upper()[:3],
    )
    return render(request, PAGE, ctx)


def _again(request: Request, tx: PageTx, crossing: Crossing, name: str, form: Form, status: int):
    ctx = admission_context(tx.db, crossing)
    ctx["forms"] = {name: form}
    return render(request, PAGE, ctx, status=status)


def _last(loc: str) -> str:
    return loc.split(".")[-1]


@router.post("/crossings/{code}/admission/permits")
def create_permit(request: Request, code: str, tx: PageTx = Depends(page_writing(P.PERMIT_WRITE))):
    crossing = crossing_for(request, tx.db, code)
    _ = gettext(request)
    f = tx.form
    data = {
        "kind": f.get("kind") or None,
        "number": f.get("number", ""),
        "issuing_state": f.get("permit_issuing_state") or crossing.country,
        "holder": {
            "document_number": f.get("document_number", ""),
            "issuing_state": f.get("issuing_state", ""),
            "nationality": f.get("nationality", ""),
            "surname": f.get("surname", ""),
            "given_names": f.get("given_names", ""),
            "birth_date": f.get("birth_date") or None,
        },
        "valid_from": f.get("valid_from") or None,
        "valid_until": f.get("valid_until") or None,
        "stay_days": f.get("stay_days") or None,
        "entries": f.get("entries") or None,
    }
    try:
        body = PermitCreate.model_validate(data)
        service.create_permit(tx.db, body=body, actor=tx.actor)
        tx.commit()
        return done(request, f"/crossings/{crossing.code}/admission", _("Permit recorded."))
    except ValidationError as exc:
        form, status = field_errors(exc, f, _, _last), 422
    except DomainError as exc:
        tx.db.rollback()
        form, status = field_errors(exc, f, _, _last), exc.status
    return _again(request, tx, crossing, "permit", form, status)


@router.post("/crossings/{code}/admission/permits/{permit_id}/cancel")
def cancel_permit(
    request: Request, code: str, permit_id: str, tx: PageTx = Depends(page_writing(P.PERMIT_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    _ = gettext(request)
    f = tx.form
    try:
        body = CancellationCreate.model_validate({"reason": f.get("reason", "")})
        service.cancel_permit(tx.db, permit_id=permit_id[:32], reason=body.reason, actor=tx.actor)
        tx.commit()
        return done(request, f"/crossings/{crossing.code}/admission", _("Permit cancelled."))
    except ValidationError as exc:
        form, status = field_errors(exc, f, _, _last), 422
    except DomainError as exc:
        tx.db.rollback()
        form, status = field_errors(exc, f, _, _last), exc.status
    return _again(request, tx, crossing, f"cancel-{permit_id[:32]}", form, status)


@router.post("/crossings/{code}/admission/alerts")
def create_alert(
    request: Request, code: str, tx: PageTx = Depends(page_writing(P.DOCUMENT_ALERT_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    _ = gettext(request)
    f = tx.form
    data = {
        "document_number": f.get("document_number", ""),
        "issuing_state": f.get("issuing_state", ""),
        "kind": f.get("kind") or None,
        "source": f.get("source", ""),
        "note": f.get("note") or None,
    }
    try:
        service.create_alert(tx.db, body=AlertCreate.model_validate(data), actor=tx.actor)
        tx.commit()
        return done(request, f"/crossings/{crossing.code}/admission", _("Alert recorded."))
    except ValidationError as exc:
        form, status = field_errors(exc, f, _, _last), 422
    except DomainError as exc:
        tx.db.rollback()
        form, status = field_errors(exc, f, _, _last), exc.status
    return _again(request, tx, crossing, "alert", form, status)


def _import(request: Request, code: str, tx: PageTx, what: str):
    crossing = crossing_for(request, tx.db, code)
    _ = gettext(request)
    upload = tx.files.get("file")
    form = Form(values={})
    if upload is None or not upload.filename:
        form.errors["file"] = _("This field is required.")
        return _again(request, tx, crossing, f"{what}-import", form, 422)
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        form.errors["file"] = _("The file is too large: at most %(n)s MB.") % {"n": 20}
        return _again(request, tx, crossing, f"{what}-import", form, 422)
    run = service.import_permits if what == "permits" else service.import_alerts
    try:
        result = run(tx.db, data=data, actor=tx.actor)
    except DomainError as exc:
        tx.db.rollback()
        details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors) or exc.detail
        form.errors["file"] = english_detail(details[:1000], _)
        return _again(request, tx, crossing, f"{what}-import", form, exc.status)
    tx.commit()
    message = _("%(n)s imported, %(m)s rejected.") % {
        "n": result.imported,
        "m": len(result.rejected),
    }
    if result.rejected:
        lines = ", ".join(f"{line}: {m}" for line, m in result.rejected[:20])
        message += " " + _("Rejected lines: %(lines)s") % {"lines": lines[:1500]}
    return done(request, f"/crossings/{crossing.code}/admission", message)


@router.post("/crossings/{code}/admission/permits/import")
def import_permits(request: Request, code: str, tx: PageTx = Depends(page_writing(P.PERMIT_WRITE))):
    return _import(request, code, tx, "permits")


@router.post("/crossings/{code}/admission/alerts/import")
def import_alerts(
    request: Request, code: str, tx: PageTx = Depends(page_writing(P.DOCUMENT_ALERT_WRITE))
):
    return _import(request, code, tx, "alerts")


@router.post("/crossings/{code}/admission/air-movements")
def record_air_movement(
    request: Request, code: str, tx: PageTx = Depends(page_writing(P.MOVEMENT_RESOLVE))
):
    """A crossing by air, typed from the airport's record, so presence holds on the way out."""
    crossing = crossing_for(request, tx.db, code)
    _ = gettext(request)
    f = tx.form
    document = {k: (str(f.get(k, "")).strip() or None) for k in AIR_DOCUMENT}
    document["given_names"] = document["given_names"] or ""
    data = {
        "direction": f.get("direction") or None,
        "airport": f.get("airport", ""),
        "crossed_at": local_datetime(f.get("crossed_at", ""), crossing.timezone),
        "document": document,
    }
    try:
        body = AirMovementCreate.model_validate(data)
        assert body.document is not None
        air.record_air_movement(
            tx.db,
            crossing=crossing,
            direction=body.direction,
            airport=body.airport,
            crossed_at=body.crossed_at,
            document=travellers.Document(**body.document.model_dump()),
            actor=tx.actor,
        )
        tx.commit()
        return done(
            request, f"/crossings/{crossing.code}/admission", _("Crossing by air recorded.")
        )
    except ValidationError as exc:
        form, status = field_errors(exc, f, _, _last), 422
    except DomainError as exc:
        tx.db.rollback()
        form, status = field_errors(exc, f, _, _last), exc.status
    return _again(request, tx, crossing, "air", form, status)


AIR_DOCUMENT = (
    "document_number",
    "issuing_state",
    "nationality",
    "surname",
    "given_names",
    "birth_date",
    "sex",
    "expiry_date",
)


# --- the refusal of entry, printed in both languages ------------------------------------------


def ground_texts(_: Any) -> dict[str, str]:
    """Annex V Part B of the Schengen Borders Code, the letters our refusals carry."""
    return {
        "A": _("has no valid travel document"),
        "B": _("has a false, counterfeit or forged travel document"),
        "C": _("has no valid visa or residence permit"),
        "D": _("has a false, counterfeit or forged visa or residence permit"),
        "E": _("has no documentation justifying the purpose and conditions of stay"),
        "F": _("has already stayed the maximum period allowed"),
        "G": _("has no sufficient means of subsistence"),
        "H": _("is the subject of an alert for refusal of entry"),
        "I": _("is considered a threat to public policy, internal security or public health"),
        "title": _("Refusal of entry"),
        "intro": _("The person named above is refused entry at this crossing because the person:"),
        "findings": _("Findings"),
        "note": _("Note"),
        "appeal": _("The person may appeal this decision under the law of the state."),
    }


@router.get("/crossings/{code}/movements/{movement_id}/refusal")
def refusal(
    request: Request,
    code: str,
    movement_id: str,
    r: PageReader = Depends(page_reading(P.MOVEMENT_READ)),
):
    crossing = crossing_for(request, r.db, code)
    movement = travellers.get_movement(r.db, movement_id[:32])
    if movement.crossing_id != crossing.id or movement.decision != "refused":
        raise errors.not_found("refusal of entry", movement_id)
    grounds = sorted(
        {x["refusal_ground"] for x in movement.reasons if x.get("refusal_ground")}
        | ({movement.refusal_ground} if movement.refusal_ground else set())
    )
    en, ar = i18n.translations("en").gettext, i18n.translations("ar").gettext
    return render(
        request,
        REFUSAL,
        {
            "crossing": crossing,
            "movement": movement,
            "grounds": grounds,
            "texts": {"en": ground_texts(en), "ar": ground_texts(ar)},
            "reason_names": labels(ar)["reason_code"],
        },
    )
