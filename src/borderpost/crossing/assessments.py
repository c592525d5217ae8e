"""Joint assessments: opened by one state, signed by both, the key that reopens a crossing
closed for security."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.crossing import rules
from borderpost.crossing.models import Assessment, Crossing, Signature
from borderpost.crossing.rules import (
    AssessmentState,
    Recommendation,
    SignatureDecision,
    Traffic,
)
from borderpost.db import utcnow


def assessment_facts(db: Session, assessment_id: str) -> rules.AssessmentFacts:
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
    # The assessment's row lock orders the two states' signatures: the second sees the first's
    # and concludes the assessment (read after the lock, as the previous holder left it).
    assessment = db.get(
        Assessment, assessment_id, with_for_update={"key_share": True}, populate_existing=True
    )
    if assessment is None:
        raise errors.not_found("assessment", assessment_id)
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


def list_assessments(db: Session, *, crossing: Crossing, limit: int = 50) -> list[Assessment]:
    """The crossing's joint assessments, newest first (for the supervisor and liaison pages)."""
    query = select(Assessment).where(Assessment.crossing_id == crossing.id)
    return list(db.scalars(query.order_by(Assessment.created_at.desc()).limit(limit)))
