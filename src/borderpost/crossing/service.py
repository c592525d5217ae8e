"""Crossing use cases: the one place their rules are applied and their changes audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.crossing import rules
from borderpost.crossing.models import (
    Assessment,
    Crossing,
    Incident,
    Signature,
    Statement,
    StatusChange,
    TrafficStatus,
)
from borderpost.crossing.rules import (
    AssessmentState,
    ClassStatus,
    ReasonCategory,
    Recommendation,
    SignatureDecision,
    State,
    Traffic,
)
from borderpost.db import utcnow


def create_crossing(
    db: Session,
    *,
    code: str,
    name: str,
    country: str,
    neighbour_country: str,
    counterpart_name: str,
    timezone: str,
    actor: Actor,
    at: datetime | None = None,
) -> Crossing:
    if db.scalar(select(Crossing.id).where(Crossing.code == code)):
        raise errors.conflict("crossing-exists", f"A crossing with code {code!r} exists already.")
    at = at or utcnow()
    crossing = Crossing(
        code=code,
        name=name,
        country=country,
        neighbour_country=neighbour_country,
        counterpart_name=counterpart_name,
        timezone=timezone,
        created_at=at,
    )
    db.add(crossing)
    db.flush()
    for traffic in Traffic:  # a new crossing starts open for every class
        db.add(TrafficStatus(crossing_id=crossing.id, traffic=traffic, state=State.OPEN, since=at))
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="crossing.create",
        subject_type="crossing",
        subject_id=crossing.id,
        after={"code": code, "name": name, "country": country, "neighbour": neighbour_country},
    )
    return crossing


def get_crossing(db: Session, code: str) -> Crossing:
    """The crossing, with its status per traffic class in the same query (every movement and
    arrival checks it: `require_open` then needs no query of its own)."""
    crossing = db.scalar(
        select(Crossing).options(joinedload(Crossing.statuses)).where(Crossing.code == code.upper())
    )
    if crossing is None:
        raise errors.not_found("crossing", code)
    return crossing


def list_crossings(db: Session) -> list[Crossing]:
    return list(db.scalars(select(Crossing).order_by(Crossing.code)))


def current_status(db: Session, crossing: Crossing) -> dict[Traffic, TrafficStatus]:
    rows = db.scalars(select(TrafficStatus).where(TrafficStatus.crossing_id == crossing.id))
    return {Traffic(row.traffic): row for row in rows}


def require_open(*, crossing: Crossing, traffic: Traffic) -> None:
    """For the traveller and cargo domains: refuse traffic of a class that is closed now."""
    status = next((s for s in crossing.statuses if s.traffic == traffic.value), None)
    if status is not None and status.state == State.CLOSED:
        raise errors.conflict(
            "crossing-closed",
            f"{crossing.code} is closed to {traffic.value} traffic since "
            f"{status.since:%Y-%m-%d} ({status.reason_category or 'no reason given'}).",
            title="Crossing closed",
        )


def change_status(
    db: Session,
    *,
    crossing: Crossing,
    traffic: Sequence[Traffic],
    state: State,
    reason_category: ReasonCategory | None,
    reason: str,
    assessment_id: str | None,
    actor: Actor,
    at: datetime | None = None,
) -> StatusChange:
    statuses = current_status(db, crossing)
    assessment = _assessment_facts(db, assessment_id) if assessment_id else None
    rules.check_status_change(
        crossing_code=crossing.code,
        current={
            t: ClassStatus(
                State(s.state), ReasonCategory(s.reason_category) if s.reason_category else None
            )
            for t, s in statuses.items()
        },
        traffic=traffic,
        new_state=state,
        assessment=assessment,
    )
    at = at or utcnow()
    change = StatusChange(
        crossing_id=crossing.id,
        traffic=[t.value for t in traffic],
        state=state,
        previous={t.value: statuses[t].state for t in traffic},
        reason_category=reason_category,
        reason=reason,
        assessment_id=assessment_id,
        changed_at=at,
        changed_by=actor.label,
    )
    db.add(change)
    db.flush()
    for t in traffic:
        row = statuses[t]
        row.state, row.since, row.change_id = state, at, change.id
        row.reason_category, row.reason = reason_category, reason
    audit.record(
        db,
        actor=actor.label,
        action="crossing.status_change",
        subject_type="crossing",
        subject_id=crossing.id,
        before=change.previous,
        after={
            "traffic": change.traffic,
            "state": state,
            "reason_category": reason_category,
            "assessment_id": assessment_id,
            "change_id": change.id,
        },
    )
    return change


def _assessment_facts(db: Session, assessment_id: str) -> rules.AssessmentFacts:
    assessment = db.get(Assessment, assessment_id)
    if assessment is None:
        raise errors.invalid("assessment_id", "no such assessment")
    crossing = db.get(Crossing, assessment.crossing_id)
    assert crossing is not None
    return rules.AssessmentFacts(
        crossing_code=crossing.code,
        state=AssessmentState(assessment.state),
        recommendation=Recommendation(assessment.recommendation),
        traffic=frozenset(Traffic(t) for t in assessment.traffic),
    )


def list_status_changes(
    db: Session, *, crossing: Crossing, limit: int, before_id: str | None = None
) -> list[StatusChange]:
    query = select(StatusChange).where(StatusChange.crossing_id == crossing.id)
    if before_id:
        query = query.where(StatusChange.id < before_id)
    return list(db.scalars(query.order_by(StatusChange.id.desc()).limit(limit)))


def open_assessment(
    db: Session,
    *,
    crossing: Crossing,
    title: str,
    findings: str,
    recommendation: Recommendation,
    traffic: Sequence[Traffic],
    actor: Actor,
    at: datetime | None = None,
) -> Assessment:
    assessment = Assessment(
        crossing_id=crossing.id,
        title=title,
        findings=findings,
        recommendation=recommendation,
        traffic=[t.value for t in traffic],
        state=AssessmentState.OPEN,
        created_at=at or utcnow(),
        created_by=actor.label,
    )
    db.add(assessment)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="assessment.open",
        subject_type="assessment",
        subject_id=assessment.id,
        after={
            "crossing": crossing.code,
            "recommendation": recommendation,
            "traffic": assessment.traffic,
        },
    )
    return assessment


def get_assessment(db: Session, assessment_id: str) -> Assessment:
    assessment = db.get(Assessment, assessment_id)
    if assessment is None:
        raise errors.not_found("assessment", assessment_id)
    return assessment


def signatures_of(db: Session, assessment: Assessment) -> list[Signature]:
    query = select(Signature).where(Signature.assessment_id == assessment.id)
    return list(db.scalars(query.order_by(Signature.signed_at, Signature.id)))


def sign_assessment(
    db: Session,
    *,
    assessment_id: str,
    country: str,
    official_name: str,
    official_role: str,
    decision: SignatureDecision,
    note: str | None,
    actor: Actor,
    at: datetime | None = None,
) -> Assessment:
    assessment = get_assessment(db, assessment_id)
    crossing = db.get(Crossing, assessment.crossing_id)
    assert crossing is not None
    existing = signatures_of(db, assessment)
    rules.check_signature(
        role=actor.role,
        user_country=actor.country,
        sign_for=country,
        country=crossing.country,
        neighbour=crossing.neighbour_country,
        signed=[s.country for s in existing],
        state=AssessmentState(assessment.state),
    )
    at = at or utcnow()
    db.add(
        Signature(
            assessment_id=assessment.id,
            country=country,
            official_name=official_name,
            official_role=official_role,
            decision=decision,
            note=note,
            signed_at=at,
            signed_by=actor.label,
        )
    )
    before = assessment.state
    decisions = {s.country: SignatureDecision(s.decision) for s in existing} | {country: decision}
    assessment.state = rules.assessment_state(
        decisions, country=crossing.country, neighbour=crossing.neighbour_country
    )
    if assessment.state != AssessmentState.OPEN:
        assessment.concluded_at = at
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="assessment.sign",
        subject_type="assessment",
        subject_id=assessment.id,
        before={"state": before},
        after={"state": assessment.state, "country": country, "decision": decision},
    )
    return assessment


def publish_statement(
    db: Session,
    *,
    crossing: Crossing,
    text_en: str,
    text_ar: str,
    actor: Actor,
    at: datetime | None = None,
) -> Statement:
    statement = Statement(
        crossing_id=crossing.id,
        text_en=text_en,
        text_ar=text_ar,
        published_at=at or utcnow(),
        published_by=actor.label,
    )
    db.add(statement)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="statement.publish",
        subject_type="statement",
        subject_id=statement.id,
        after={"crossing": crossing.code, "text_en": text_en, "text_ar": text_ar},
    )
    return statement


def latest_statement(db: Session, crossing: Crossing) -> Statement | None:
    query = select(Statement).where(Statement.crossing_id == crossing.id)
    return db.scalar(query.order_by(Statement.published_at.desc(), Statement.id.desc()).limit(1))


def record_incident(
    db: Session,
    *,
    crossing: Crossing,
    kind: str,
    severity: int,
    occurred_at: datetime,
    description: str,
    actor: Actor,
    at: datetime | None = None,
) -> Incident:
    incident = Incident(
        crossing_id=crossing.id,
        kind=kind,
        severity=severity,
        occurred_at=occurred_at,
        description=description,
        recorded_at=at or utcnow(),
        recorded_by=actor.label,
    )
    db.add(incident)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="incident.record",
        subject_type="incident",
        subject_id=incident.id,
        after={"crossing": crossing.code, "kind": kind, "severity": severity},
    )
    return incident


def list_incidents(
    db: Session, *, crossing: Crossing, limit: int, before_id: str | None = None
) -> list[Incident]:
    query = select(Incident).where(Incident.crossing_id == crossing.id)
    if before_id:
        query = query.where(Incident.id < before_id)
    return list(db.scalars(query.order_by(Incident.id.desc()).limit(limit)))


def list_assessments(db: Session, *, crossing: Crossing, limit: int = 50) -> list[Assessment]:
    """The crossing's joint assessments, newest first (for the supervisor and liaison pages)."""
    query = select(Assessment).where(Assessment.crossing_id == crossing.id)
    return list(db.scalars(query.order_by(Assessment.created_at.desc()).limit(limit)))
