"""HTTP routes of the crossing domain: parse, call one service function, answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from borderpost.auth import scope
from borderpost.auth.permissions import Permission as P
from borderpost.crossing import assessments as joint
from borderpost.crossing import service
from borderpost.crossing.models import (
    Assessment,
    Crossing,
    Incident,
    Statement,
    StatusChange,
    TrafficStatus,
)
from borderpost.crossing.schemas import (
    AllowedRead,
    AssessmentCreate,
    AssessmentRead,
    ClassStatusRead,
    CrossingCreate,
    CrossingRead,
    CrossingStatusRead,
    DirectionsRead,
    DirectionStatusRead,
    IncidentCreate,
    IncidentRead,
    SignatureCreate,
    SignatureRead,
    StatementCreate,
    StatementRead,
    StatusChangeCreate,
    StatusChangeRead,
)
from borderpost.paging import DEFAULT_LIMIT, MAX_LIMIT, Page
from borderpost.problems import problem_responses
from borderpost.transaction import Reader, Tx, reading, writing

router = APIRouter(tags=["crossings"], responses=problem_responses(401, 403, 404, 422))
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=64)]


def direction_read(row: TrafficStatus) -> DirectionStatusRead:
    allowed = service.allowed_of(row)
    return DirectionStatusRead(
        state=row.state,
        since=row.since,
        reason_category=row.reason_category,
        reason=row.reason,
        allowed=AllowedRead(
            categories=sorted(allowed.categories), nationalities=sorted(allowed.nationalities)
        )
        if allowed
        else None,
    )


def crossing_read(db: Session, crossing: Crossing | service.CrossingView) -> CrossingRead:
    status = service.current_status(db, crossing)
    classes = {
        t.value: ClassStatusRead(
            state=s.state,
            since=s.since,
            reason_category=s.reason_category,
            reason=s.reason,
            directions=DirectionsRead(
                **{d.value: direction_read(row) for d, row in s.directions.items()}
            ),
        )
        for t, s in status.items()
    }
    return CrossingRead(
        id=crossing.id,
        code=crossing.code,
        name=crossing.name,
        country=crossing.country,
        neighbour_country=crossing.neighbour_country,
        counterpart_name=crossing.counterpart_name,
        timezone=crossing.timezone,
        status=CrossingStatusRead(**classes),
    )


def status_change_read(change: StatusChange, code: str) -> StatusChangeRead:
    return StatusChangeRead(
        id=change.id,
        crossing=code,
        traffic=change.traffic,
        directions=change.directions,
        state=change.state,
        allowed=AllowedRead(**change.allowed) if change.allowed else None,
        previous=change.previous,
        previous_directions=change.previous_directions,
        reason_category=change.reason_category,
        reason=change.reason,
        assessment_id=change.assessment_id,
        changed_at=change.changed_at,
        changed_by=change.changed_by,
    )


def assessment_read(db: Session, assessment: Assessment) -> AssessmentRead:
    crossing = db.get(Crossing, assessment.crossing_id)
    assert crossing is not None
    return AssessmentRead(
        id=assessment.id,
        crossing=crossing.code,
        title=assessment.title,
        findings=assessment.findings,
        recommendation=assessment.recommendation,
        traffic=assessment.traffic,
        state=assessment.state,
        signatures=[
            SignatureRead.model_validate(s, from_attributes=True)
            for s in joint.signatures_of(db, assessment)
        ],
        created_at=assessment.created_at,
        concluded_at=assessment.concluded_at,
    )


def statement_read(statement: Statement, code: str) -> StatementRead:
    return StatementRead(
        id=statement.id,
        crossing=code,
        text_en=statement.text_en,
        text_ar=statement.text_ar,
        published_at=statement.published_at,
    )


def incident_read(incident: Incident, code: str) -> IncidentRead:
    return IncidentRead(
        id=incident.id,
        crossing=code,
        kind=incident.kind,
        severity=incident.severity,
        occurred_at=incident.occurred_at,
        description=incident.description,
        recorded_at=incident.recorded_at,
    )


@router.post(
    "/crossings", status_code=201, response_model=CrossingRead, responses=problem_responses(409)
)
def create_crossing(body: CrossingCreate, tx: Tx = Depends(writing(P.CROSSING_CREATE))) -> Response:
    scope.require_country(tx.actor, body.country)
    crossing = service.create_crossing(tx.db, **body.model_dump(), actor=tx.actor)
    return tx.done(crossing_read(tx.db, crossing))


@router.get("/crossings", response_model=list[CrossingRead])
def list_crossings(r: Reader = Depends(reading(P.CROSSING_READ))) -> list[CrossingRead]:
    return [crossing_read(r.db, c) for c in service.list_crossings(r.db)]


@router.get("/crossings/{code}", response_model=CrossingRead)
def get_crossing(code: str, r: Reader = Depends(reading(P.CROSSING_READ))) -> Response:
    # rendered and the reader ended in this thread (Reader.done): no hop left to the edge
    return r.done(crossing_read(r.db, service.crossing_view(r.db, code)))


@router.post(
    "/crossings/{code}/status-changes",
    status_code=201,
    response_model=StatusChangeRead,
    responses=problem_responses(409),
)
def change_status(
    code: str, body: StatusChangeCreate, tx: Tx = Depends(writing(P.CROSSING_STATUS_WRITE))
) -> Response:
    crossing = service.get_crossing(tx.db, code)
    change = service.change_status(tx.db, crossing=crossing, **body.as_change(), actor=tx.actor)
    return tx.done(status_change_read(change, crossing.code))


@router.get("/crossings/{code}/status-changes", response_model=Page[StatusChangeRead])
def list_status_changes(
    code: str,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    r: Reader = Depends(reading(P.CROSSING_READ)),
) -> Page[StatusChangeRead]:
    crossing = service.get_crossing(r.db, code)
    rows = service.list_status_changes(r.db, crossing=crossing, limit=limit + 1, before_id=cursor)
    items = [status_change_read(c, crossing.code) for c in rows]
    return Page.of(items, limit, lambda item: item.id)


@router.post("/crossings/{code}/assessments", status_code=201, response_model=AssessmentRead)
def open_assessment(
    code: str, body: AssessmentCreate, tx: Tx = Depends(writing(P.ASSESSMENT_WRITE))
) -> Response:
    crossing = service.get_crossing(tx.db, code)
    assessment = joint.open_assessment(
        tx.db, crossing=crossing, **body.model_dump(), actor=tx.actor
    )
    return tx.done(assessment_read(tx.db, assessment))


@router.post(
    "/assessments/{assessment_id}/signatures",
    status_code=201,
    response_model=AssessmentRead,
    responses=problem_responses(409),
)
def sign_assessment(
    assessment_id: str, body: SignatureCreate, tx: Tx = Depends(writing(P.ASSESSMENT_SIGN))
) -> Response:
    assessment = joint.sign_assessment(
        tx.db, assessment_id=assessment_id, **body.model_dump(), actor=tx.actor
    )
    return tx.done(assessment_read(tx.db, assessment))


@router.get("/assessments/{assessment_id}", response_model=AssessmentRead)
def get_assessment(
    assessment_id: str, r: Reader = Depends(reading(P.CROSSING_READ))
) -> AssessmentRead:
    return assessment_read(r.db, joint.get_assessment(r.db, assessment_id))


@router.post("/crossings/{code}/statements", status_code=201, response_model=StatementRead)
def publish_statement(
    code: str, body: StatementCreate, tx: Tx = Depends(writing(P.STATEMENT_WRITE))
) -> Response:
    crossing = service.get_crossing(tx.db, code)
    statement = service.publish_statement(
        tx.db, crossing=crossing, **body.model_dump(), actor=tx.actor
    )
    return tx.done(statement_read(statement, crossing.code))


@router.post("/crossings/{code}/incidents", status_code=201, response_model=IncidentRead)
def record_incident(
    code: str, body: IncidentCreate, tx: Tx = Depends(writing(P.INCIDENT_WRITE))
) -> Response:
    crossing = service.get_crossing(tx.db, code)
    incident = service.record_incident(
        tx.db, crossing=crossing, **body.model_dump(), actor=tx.actor
    )
    return tx.done(incident_read(incident, crossing.code))


@router.get("/crossings/{code}/incidents", response_model=Page[IncidentRead])
def list_incidents(
    code: str,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    r: Reader = Depends(reading(P.CROSSING_READ)),
) -> Page[IncidentRead]:
    crossing = service.get_crossing(r.db, code)
    rows = service.list_incidents(r.db, crossing=crossing, limit=limit + 1, before_id=cursor)
    return Page.of([incident_read(i, crossing.code) for i in rows], limit, lambda item: item.id)
