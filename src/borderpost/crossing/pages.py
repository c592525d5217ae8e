"""Pages of the crossing domain: dashboard, supervisor, joint assessments (liaison), security."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.auth.permissions import Permission as P
from borderpost.auth.permissions import has_permission
from borderpost.auth.service import Actor
from borderpost.crossing import assessments as joint
from borderpost.crossing import history, service
from borderpost.crossing.models import Crossing
from borderpost.crossing.schemas import (
    AssessmentCreate,
    IncidentCreate,
    SignatureCreate,
    StatementCreate,
    StatusChangeCreate,
)
from borderpost.errors import DomainError
from borderpost.validation import report_day
from borderpost.web import charts
from borderpost.web.edge import PageReader, PageRoute, PageTx, page_reading, page_writing
from borderpost.web.edge import redirect_after_post as done
from borderpost.web.flow import as_list, crossing_for, failed, local_datetime, refused, validated
from borderpost.web.screens import SECURITY, SUPERVISOR, security_context, supervisor_context
from borderpost.web.templating import gettext, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
DAYS = 14


# --- dashboard ------------------------------------------------------------------------------


def today_in(crossing: Crossing) -> date:
    return datetime.now(ZoneInfo(crossing.timezone)).date()


def _end_of_day(crossing: Crossing, day: date) -> datetime:
    """The last moment of a day at the crossing, in UTC."""
    midnight = datetime.combine(day + timedelta(days=1), time(0, 0), ZoneInfo(crossing.timezone))
    return midnight.astimezone(UTC) - timedelta(microseconds=1)


@router.get("/crossings/{code}")
def dashboard(
    request: Request,
    code: str,
    until: date | None = None,
    r: PageReader = Depends(page_reading(P.CROSSING_READ)),
):
    crossing = crossing_for(request, r.db, code)
    _ = gettext(request)
    today = today_in(crossing)
    last = report_day("until", until) or today
    days = [last - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    # Only the fortnight shown is read: an incident dated anywhere else cannot reach this page.
    zone = ZoneInfo(crossing.timezone)
    per_day = dict.fromkeys(days, 0)
    for occurred in service.incident_times(
        r.db,
        crossing=crossing,
        since=datetime.combine(days[0], time(), zone),
        until=datetime.combine(last + timedelta(days=1), time(), zone),
    ):
        per_day[occurred.astimezone(zone).date()] += 1
    from borderpost.cargo.queue_service import queue_snapshot
    from borderpost.report.daily import counts_of_day
    from borderpost.report.pages import traffic_charts

    day = counts_of_day(r.db, crossing, last)
    # A past day is shown as it stood at its end: status, queue and statement then.
    then = None if last >= today else _end_of_day(crossing, last)
    queue = queue_snapshot(r.db, crossing=crossing, at=then)
    context: dict[str, Any] = {
        "crossing": crossing,
        "section": "dashboard",
        "status": history.status_at(r.db, crossing, then)
        if then
        else service.current_status(r.db, crossing),
        "statement": history.statement_at(r.db, crossing, then)
        if then
        else service.latest_statement(r.db, crossing),
        "today": last,
        "is_today": last == today,
        "first_day": days[0],
        "last_day": last,
        "counts": {
            _("Entries"): day["entries"],
            _("Exits"): day["exits"],
            _("Referred cases waiting"): day["referrals_waiting"],
            _("Trucks arrived"): day["trucks_arrived"],
            _("Trucks released"): day["trucks_released"],
            _("Trucks waiting"): len(queue.waiting),
            _("Incidents"): per_day[last],
        },
        "queue": queue,
        "charts": [
            *traffic_charts(request, r.db, crossing, days),
            charts.bar(
                "incidents",
                _("Incidents per day"),
                [charts.fmt_day(request, d) for d in days],
                [charts.series(_("Incidents"), list(per_day.values()), "grey")],
            ),
        ],
    }
    return render(request, "crossing/dashboard.html", context)


# --- supervisor -----------------------------------------------------------------------------


@router.get("/crossings/{code}/supervisor")
def supervisor_page(
    request: Request, code: str, r: PageReader = Depends(page_reading(P.CROSSING_STATUS_WRITE))
):
    crossing = crossing_for(request, r.db, code)
    return render(request, SUPERVISOR, supervisor_context(r.db, crossing))


@router.post("/crossings/{code}/supervisor/status")
def change_status(
    request: Request, code: str, tx: PageTx = Depends(page_writing(P.CROSSING_STATUS_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    f = tx.form
    data = {
        "traffic": as_list(f.get("traffic")),
        "state": f.get("state") or None,
        "reason_category": f.get("reason_category") or None,
        "reason": f.get("reason", ""),
        "assessment_id": f.get("assessment_id") or None,
    }
    if directions := as_list(f.get("directions")):  # none ticked: both, as the API's default
        data["directions"] = directions
    categories = as_list(f.get("allowed_categories"))
    nationalities = str(f.get("allowed_nationalities", "")).replace(",", " ").upper().split()
    if categories or nationalities:
        data["allowed"] = {"categories": categories, "nationalities": nationalities}
    body = validated(request, StatusChangeCreate, data, f)
    if isinstance(body, StatusChangeCreate):
        try:
            service.change_status(tx.db, crossing=crossing, **body.as_change(), actor=tx.actor)
            tx.commit()
            _ = gettext(request)
            return done(request, request.url.path.rsplit("/", 1)[0], _("Status changed."))
        except DomainError as exc:
            tx.db.rollback()
            body, status = refused(request, exc, f)
    else:
        status = 422
    ctx = supervisor_context(tx.db, crossing)
    return failed(request, SUPERVISOR, ctx, name="status", form=body, status=status)


@router.post("/crossings/{code}/supervisor/assessments")
def open_assessment(
    request: Request, code: str, tx: PageTx = Depends(page_writing(P.ASSESSMENT_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    f = tx.form
    data = {
        "title": f.get("title", ""),
        "findings": f.get("findings", ""),
        "recommendation": f.get("recommendation") or None,
        "traffic": as_list(f.get("traffic")),
    }
    body = validated(request, AssessmentCreate, data, f)
    if isinstance(body, AssessmentCreate):
        joint.open_assessment(tx.db, crossing=crossing, **body.model_dump(), actor=tx.actor)
        tx.commit()
        _ = gettext(request)
        back = f"/crossings/{crossing.code}/assessments" if _can_sign(tx.actor) else None
        return done(
            request, back or f"/crossings/{crossing.code}/security", _("Assessment opened.")
        )
    template, ctx = _assessment_origin(request, tx.db, crossing, tx.actor)
    return failed(request, template, ctx, name="assessment", form=body)


def _can_sign(actor: Actor) -> bool:
    return has_permission(actor.role, P.ASSESSMENT_SIGN)


def _assessment_origin(
    request: Request, db: Session, crossing: Crossing, actor: Actor
) -> tuple[str, dict[str, Any]]:
    """Assessments are opened from the supervisor page or, by security officers, theirs."""
    if has_permission(actor.role, P.CROSSING_STATUS_WRITE):
        return SUPERVISOR, supervisor_context(db, crossing)
    return SECURITY, security_context(db, crossing)


@router.post("/crossings/{code}/supervisor/statements")
def publish_statement(
    request: Request, code: str, tx: PageTx = Depends(page_writing(P.STATEMENT_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    f = tx.form
    data = {"text_en": f.get("text_en", ""), "text_ar": f.get("text_ar", "")}
    body = validated(request, StatementCreate, data, f)
    if isinstance(body, StatementCreate):
        service.publish_statement(tx.db, crossing=crossing, **body.model_dump(), actor=tx.actor)
        tx.commit()
        _ = gettext(request)
        return done(request, f"/crossings/{crossing.code}/supervisor", _("Statement published."))
    ctx = supervisor_context(tx.db, crossing)
    return failed(request, SUPERVISOR, ctx, name="statement", form=body)


# --- joint assessments: read and sign (supervisor for their state, liaison for theirs) --------

ASSESSMENTS = "crossing/assessments.html"


def assessments_context(db: Session, crossing: Crossing, actor: Actor) -> dict[str, Any]:
    rows = [(a, joint.signatures_of(db, a)) for a in joint.list_assessments(db, crossing=crossing)]
    return {
        "crossing": crossing,
        "section": "assessments",
        "assessments": rows,
        "sign_for": actor.country or crossing.country,
    }


@router.get("/crossings/{code}/assessments")
def assessments_page(
    request: Request, code: str, r: PageReader = Depends(page_reading(P.ASSESSMENT_SIGN))
):
    crossing = crossing_for(request, r.db, code)
    return render(request, ASSESSMENTS, assessments_context(r.db, crossing, r.actor))


@router.post("/crossings/{code}/assessments/{assessment_id}/signatures")
def sign_assessment(
    request: Request,
    code: str,
    assessment_id: str,
    tx: PageTx = Depends(page_writing(P.ASSESSMENT_SIGN)),
):
    crossing = crossing_for(request, tx.db, code)
    assessment = joint.get_assessment(tx.db, assessment_id)
    if assessment.crossing_id != crossing.id:
        raise errors.not_found("assessment", assessment_id)  # another crossing's
    f = tx.form
    data = {
        "country": tx.actor.country or crossing.country,
        "official_name": f.get("official_name", ""),
        "official_role": f.get("official_role", ""),
        "decision": f.get("decision") or None,
        "note": f.get("note") or None,
    }
    body = validated(request, SignatureCreate, data, f)
    if isinstance(body, SignatureCreate):
        try:
            joint.sign_assessment(
                tx.db, assessment_id=assessment.id, **body.model_dump(), actor=tx.actor
            )
            tx.commit()
            _ = gettext(request)
            return done(request, f"/crossings/{crossing.code}/assessments", _("Signed."))
        except DomainError as exc:
            tx.db.rollback()
            body, status = refused(request, exc, f)
    else:
        status = 422
    ctx = assessments_context(tx.db, crossing, tx.actor)
    ctx["forms"] = {f"sign-{assessment.id}": body}
    return render(request, ASSESSMENTS, ctx, status=status)


# --- security: incidents ----------------------------------------------------------------------


@router.get("/crossings/{code}/security")
def security_page(
    request: Request,
    code: str,
    group: str | None = None,
    r: PageReader = Depends(page_reading(P.INCIDENT_WRITE)),
):
    crossing = crossing_for(request, r.db, code)
    return render(request, SECURITY, security_context(r.db, crossing, group))


@router.post("/crossings/{code}/security/incidents")
def record_incident(
    request: Request, code: str, tx: PageTx = Depends(page_writing(P.INCIDENT_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    f = tx.form
    data = {
        "kind": f.get("kind", ""),
        "severity": f.get("severity") or None,
        "occurred_at": local_datetime(f.get("occurred_at", ""), crossing.timezone),
        "description": f.get("description", ""),
    }
    body = validated(request, IncidentCreate, data, f)
    if isinstance(body, IncidentCreate):
        service.record_incident(tx.db, crossing=crossing, **body.model_dump(), actor=tx.actor)
        tx.commit()
        _ = gettext(request)
        return done(request, f"/crossings/{crossing.code}/security", _("Incident recorded."))
    return failed(request, SECURITY, security_context(tx.db, crossing), name="incident", form=body)
