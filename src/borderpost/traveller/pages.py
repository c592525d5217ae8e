"""Pages of the traveller domain: the immigration booth, referred cases (supervisor), and the
group arrivals of the security page.

The booth is built for a scanner that types the MRZ lines: the textarea submits on Ctrl+Enter or
on Enter after the last line (static/app.js), the decision is shown on the next page (PRG) and
the textarea has the focus again for the next traveller.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.auth.permissions import Permission as P
from borderpost.auth.service import Actor
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing
from borderpost.crossing.rules import State, Traffic
from borderpost.errors import DomainError
from borderpost.traveller import group_csv, groups, service
from borderpost.traveller.models import GroupArrival, Movement
from borderpost.traveller.rules import Decision, Direction, TravelMode
from borderpost.traveller.schemas import (
    GroupArrivalCreate,
    HandoverCreate,
    MovementCreate,
    ResolutionCreate,
)
from borderpost.web.edge import PageReader, PageRoute, PageTx, page_reading, page_writing
from borderpost.web.edge import redirect_after_post as done
from borderpost.web.flow import (
    as_list,
    crossing_for,
    failed,
    field_errors,
    local_datetime,
    validated,
)
from borderpost.web.forms import Form, english_detail
from borderpost.web.i18n import SEPARATORS
from borderpost.web.screens import SECURITY, SUPERVISOR, security_context, supervisor_context
from borderpost.web.templating import gettext, is_htmx, lang_of, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
BOOTH = "traveller/booth.html"
MRZ_FIELDS = ("document_number", "birth_date", "expiry_date", "nationality", "issuing_state")


def _choice(value: str | None, allowed: type, default: str) -> str:
    return value if value in {v.value for v in allowed} else default


def booth_context(
    db: Session,
    crossing: Crossing,
    *,
    movement: Movement | None,
    direction: str,
    mode: str,
    actor: Actor | None = None,
) -> dict[str, Any]:
    status = crossings.current_status(db, crossing).get(Traffic.PASSENGER)
    return {
        "crossing": crossing,
        "section": "booth",
        "movement": movement,
        "direction": direction,
        "travel_mode": mode,
        "directions": [d.value for d in Direction],
        "travel_modes": [m.value for m in TravelMode if m != TravelMode.AIR],
        # Shown before anything is scanned: a closed hall turns every movement away (409).
        "passenger_closed": status is not None and status.state == State.CLOSED.value,
        "recent": _recent_of(db, crossing, actor) if actor else [],
        "clear_decision": False,
        "oob": False,
    }


RECENT_SHOWN = 10


def _recent_of(db: Session, crossing: Crossing, actor: Actor) -> list[Movement]:
    """The last travellers this officer recorded at this crossing (their booth), newest first."""
    return list(
        db.scalars(
            select(Movement)
            .where(Movement.crossing_id == crossing.id, Movement.recorded_by == actor.label)
            .order_by(Movement.recorded_at.desc(), Movement.id.desc())
            .limit(RECENT_SHOWN)
        )
    )


@router.get("/crossings/{code}/booth")
def booth(
    request: Request,
    code: str,
    movement: str | None = None,
    direction: str | None = None,
    travel_mode: str | None = None,
    r: PageReader = Depends(page_reading(P.MOVEMENT_WRITE)),
):
    crossing = crossing_for(request, r.db, code)
    shown = None
    if movement:
        found = r.db.get(Movement, movement[:32])
        shown = found if found is not None and found.crossing_id == crossing.id else None
    ctx = booth_context(
        r.db,
        crossing,
        movement=shown,
        direction=_choice(direction, Direction, "entry"),
        mode=_choice(travel_mode, TravelMode, "foot"),
        actor=r.actor,
    )
    return render(request, BOOTH, ctx)


def _mrz_field(loc: str) -> str:
    """Every error of the MRZ is shown under the textarea; the MRZ field it concerns is named."""
    return "mrz" if loc.startswith("mrz") else loc.split(".")[0]


MANUAL_FIELDS = (
    "document_type",
    "document_number",
    "issuing_state",
    "nationality",
    "surname",
    "given_names",
    "birth_date",
    "sex",
    "expiry_date",
)


def _mrz_words(request: Request, exc: DomainError) -> str:
    """The MRZ's failing fields named in words, in the page's language."""
    from borderpost.web.labels import labels

    _ = gettext(request)
    names = labels(_)["mrz_field"]
    # "document_number_check" is the document number's check digit: name the field it guards.
    fields = dict.fromkeys(
        e.field.removeprefix("mrz.").removesuffix("_check") for e in exc.errors
    ) or {"mrz": None}
    words = dict.fromkeys(names.get(f, names["mrz"]) for f in fields)
    return _("The MRZ cannot be read: check %(fields)s, or type the document in.") % {
        "fields": SEPARATORS[lang_of(request)].join(words)
    }


@router.post("/crossings/{code}/booth")
def record_movement(
    request: Request, code: str, tx: PageTx = Depends(page_writing(P.MOVEMENT_WRITE))
):
    f = tx.form
    mrz = str(f.get("mrz", "")).replace("\r\n", "\n").replace("\r", "\n").strip()
    data = {
        "direction": f.get("direction") or None,
        "travel_mode": f.get("travel_mode") or None,
        "category": f.get("category") or "regular",
        "mrz": "\n".join(line.strip() for line in mrz.split("\n") if line.strip()),
    }
    return _record(request, code, tx, data, form_name="booth")


@router.post("/crossings/{code}/booth/manual")
def record_typed_movement(
    request: Request, code: str, tx: PageTx = Depends(page_writing(P.MOVEMENT_WRITE))
):
    """A document whose MRZ cannot be scanned, typed in by the officer."""
    f = tx.form
    document = {k: (str(f.get(k, "")).strip() or None) for k in MANUAL_FIELDS}
    document["given_names"] = document["given_names"] or ""
    document["document_type"] = document["document_type"] or "P"
    data = {
        "direction": f.get("direction") or None,
        "travel_mode": f.get("travel_mode") or None,
        "document": document,
    }
    return _record(request, code, tx, data, form_name="manual")


def _record(request: Request, code: str, tx: PageTx, data: dict[str, Any], *, form_name: str):
    crossing = crossing_for(request, tx.db, code)
    _ = gettext(request)
    f = tx.form
    status = 422
    name_of = _mrz_field if form_name == "booth" else lambda loc: loc.split(".")[-1]
    try:
        body = MovementCreate.model_validate(data)
        movement = service.record_movement(
            tx.db,
            crossing=crossing,
            direction=body.direction,
            travel_mode=body.travel_mode,
            mrz=body.mrz,
            category=body.category,
            document=service.Document(**body.document.model_dump()) if body.document else None,
            actor=tx.actor,
        )
        tx.commit()
        target = (
            f"/crossings/{crossing.code}/booth?movement={movement.id}"
            f"&direction={body.direction.value}&travel_mode={body.travel_mode.value}"
        )
        return done(request, target)
    except DomainError as exc:
        tx.db.rollback()
        form = field_errors(exc, f, _, name_of)
        if exc.errors and form_name == "booth":
            form.errors["mrz"] = _mrz_words(request, exc)
        status = exc.status
    except ValidationError as exc:
        form = field_errors(exc, f, _, name_of)
    ctx = booth_context(
        tx.db,
        crossing,
        movement=None,  # the previous decision is cleared: it is not this traveller's
        direction=_choice(f.get("direction"), Direction, "entry"),
        mode=_choice(f.get("travel_mode"), TravelMode, "foot"),
        actor=tx.actor,
    )
    ctx["clear_decision"], ctx["oob"] = True, is_htmx(request)
    return failed(request, BOOTH, ctx, name=form_name, form=form, status=status)


# --- referred movements: the supervisor resolves them ----------------------------------------


@router.post("/crossings/{code}/supervisor/referrals/{movement_id}")
def resolve_referral(
    request: Request,
    code: str,
    movement_id: str,
    tx: PageTx = Depends(page_writing(P.MOVEMENT_RESOLVE)),
):
    crossing = crossing_for(request, tx.db, code)
    movement = service.get_movement(tx.db, movement_id[:32])
    if movement.crossing_id != crossing.id:
        raise errors.not_found("movement", movement_id)
    _ = gettext(request)
    f = tx.form
    data = {"decision": f.get("decision") or None, "note": f.get("note", "")}
    status = 422
    try:
        body = ResolutionCreate.model_validate(data)
        service.resolve_movement(
            tx.db, movement_id=movement.id, decision=body.decision, note=body.note, actor=tx.actor
        )
        tx.commit()
        message = _("Admitted.") if body.decision == Decision.ADMITTED else _("Refused.")
        return done(request, f"/crossings/{crossing.code}/supervisor#referred", message)
    except DomainError as exc:
        tx.db.rollback()
        form = field_errors(exc, f, _, lambda loc: loc.split(".")[0])
        status = exc.status
    except ValidationError as exc:
        form = field_errors(exc, f, _, lambda loc: loc.split(".")[0] or "form")
    ctx = supervisor_context(tx.db, crossing)
    ctx["forms"] = {f"referral-{movement.id}": form}
    return render(request, SUPERVISOR, ctx, status=status)


# --- group arrivals: on the security page ------------------------------------------------------

MAX_UPLOAD = 5 * 1024 * 1024


def _security_page(request: Request, db: Session, crossing: Crossing, selected: str | None):
    return SECURITY, security_context(db, crossing, selected)


def _group_here(db: Session, crossing: Crossing, group_id: str) -> GroupArrival:
    group = groups.get_group_arrival(db, group_id[:32])
    if group.crossing_id != crossing.id:
        raise errors.not_found("group arrival", group_id)
    return group


def _to_security(crossing: Crossing, group_id: str | None = None) -> str:
    query = f"?group={group_id}" if group_id else ""
    return f"/crossings/{crossing.code}/security{query}#groups"


@router.post("/crossings/{code}/security/groups")
def create_group(request: Request, code: str, tx: PageTx = Depends(page_writing(P.GROUP_WRITE))):
    crossing = crossing_for(request, tx.db, code)
    _ = gettext(request)
    f = tx.form
    data = {
        "category": f.get("category") or None,
        "description": f.get("description", ""),
        "arrived_at": local_datetime(f.get("arrived_at", ""), crossing.timezone),
    }
    body = validated(request, GroupArrivalCreate, data, f)
    if isinstance(body, GroupArrivalCreate):
        group = groups.create_group_arrival(
            tx.db, crossing=crossing, **body.model_dump(), actor=tx.actor
        )
        tx.commit()
        return done(request, _to_security(crossing, group.id), _("Group arrival opened."))
    template, ctx = _security_page(request, tx.db, crossing, None)
    return failed(request, template, ctx, name="group", form=body)


@router.post("/crossings/{code}/security/groups/{group_id}/persons")
def upload_persons(
    request: Request, code: str, group_id: str, tx: PageTx = Depends(page_writing(P.GROUP_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    group = _group_here(tx.db, crossing, group_id)
    _ = gettext(request)
    upload = tx.files.get("file")
    form = Form(values={})
    status = 422
    if upload is None or not upload.filename:
        form.errors["file"] = _("This field is required.")
    else:
        data = upload.file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            form.errors["file"] = _("The file is too large: at most %(n)s MB.") % {"n": 5}
        else:
            try:
                persons = group_csv.parse_persons_csv(data)
                new = [
                    groups.NewPerson(
                        **p.model_dump(exclude={"items_surrendered", "document"}),
                        document=p.document.model_dump() if p.document else None,
                        items_surrendered=[i.model_dump() for i in p.items_surrendered],
                    )
                    for p in persons
                ]
                result = groups.register_persons(
                    tx.db, group=group, persons=new, source="csv", actor=tx.actor
                )
                tx.commit()
                message = _("%(n)s persons registered, %(m)s possible watchlist matches.") % {
                    "n": len(result.person_ids),
                    "m": len(result.possible_matches),
                }
                return done(request, _to_security(crossing, group.id), message)
            except DomainError as exc:
                tx.db.rollback()
                details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors) or exc.detail
                form.errors["file"] = english_detail(details[:1000], _)
                status = exc.status if exc.status != 400 else 422
    template, ctx = _security_page(request, tx.db, crossing, group.id)
    ctx["forms"] = {"upload": form}
    return render(request, template, ctx, status=status)


@router.post("/crossings/{code}/security/groups/{group_id}/handovers")
def hand_over(
    request: Request, code: str, group_id: str, tx: PageTx = Depends(page_writing(P.GROUP_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    group = _group_here(tx.db, crossing, group_id)
    _ = gettext(request)
    f = tx.form
    data = {
        "person_ids": as_list(f.get("person_ids")),
        "to": f.get("to", ""),
        "handed_over_at": local_datetime(f.get("handed_over_at", ""), crossing.timezone),
        "note": f.get("note") or None,
    }
    status = 422
    try:
        body = HandoverCreate.model_validate(data)
        handover = groups.hand_over(tx.db, group=group, **body.model_dump(), actor=tx.actor)
        tx.commit()
        message = _("%(n)s persons handed over to %(to)s.") % {
            "n": handover.persons,
            "to": handover.handed_to,
        }
        return done(request, _to_security(crossing, group.id), message)
    except ValidationError as exc:
        form = field_errors(exc, f, _, lambda loc: loc.split(".")[0])
    except DomainError as exc:
        tx.db.rollback()
        form = field_errors(exc, f, _, lambda loc: loc.split(".")[0].split("[")[0])
        status = exc.status
    template, ctx = _security_page(request, tx.db, crossing, group.id)
    ctx["forms"] = {"handover": form}
    return render(request, template, ctx, status=status)
