"""From the queue to release: calling a truck to a lane, inspections, release.

A truck's service (the time it holds an inspection lane) starts when it is called, or with its
first inspection, and ends with its release or detention; these recorded times are what the
queue's wait estimates learn from.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo import lanes
from borderpost.cargo.lanes import InspectionKind, InspectionResult, Lane, TruckState
from borderpost.cargo.models import Inspection, TruckVisit
from borderpost.cargo.records import cargo_rules, get_truck, inspections_of
from borderpost.clearance import cases
from borderpost.clearance import service as clearance
from borderpost.db import utcnow


def _check_time(truck: TruckVisit, when: datetime, at: datetime, field: str) -> None:
    if when > at:
        raise errors.invalid(field, "is in the future")
    if when < truck.arrived_at:
        raise errors.invalid(field, "is before the truck arrived")


def call_truck(
    db: Session, *, truck_id: str, actor: Actor, at: datetime | None = None
) -> TruckVisit:
    """The truck leaves the queue for an inspection lane: its service starts."""
    truck = get_truck(db, truck_id, for_update=True)
    at = at or utcnow()
    with cargo_rules():
        lanes.check_transition(truck.state, TruckState.INSPECTING)
    _check_time(truck, at, at, "at")
    truck.state = TruckState.INSPECTING.value
    truck.service_started_at = at
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="truck.call",
        subject_type="truck_visit",
        subject_id=truck.id,
        before={"state": TruckState.QUEUED.value},
        after={"state": truck.state, "service_started_at": at},
    )
    return truck


def record_inspection(
    db: Session,
    *,
    truck_id: str,
    kind: InspectionKind,
    result: InspectionResult,
    findings: str | None,
    started_at: datetime | None = None,
    actor: Actor,
    at: datetime | None = None,
) -> Inspection:
    """Record a control and its result. A seizure detains the truck; a released truck is final."""
    truck = get_truck(db, truck_id, for_update=True)
    at = at or utcnow()
    started = started_at or at
    with cargo_rules():
        new_state = lanes.state_after_inspection(truck.state, result)
    _check_time(truck, started, at, "started_at")
    before = truck.state
    if truck.service_started_at is None:
        truck.service_started_at = started
    inspection = Inspection(
        truck_visit_id=truck.id,
        kind=InspectionKind(kind).value,
        result=InspectionResult(result).value,
        findings=findings,
        started_at=started,
        recorded_at=at,
        recorded_by=actor.label,
    )
    db.add(inspection)
    if new_state is TruckState.DETAINED and before != TruckState.DETAINED:
        truck.detained_at = at
        truck.service_finished_at = at
    truck.state = new_state.value
    db.flush()
    if inspection.result == InspectionResult.SEIZURE:
        cases.open_case(db, truck=truck, inspection=inspection, actor=actor, at=at)
    audit.record(
        db,
        actor=actor.label,
        action="truck.inspect",
        subject_type="truck_visit",
        subject_id=truck.id,
        before={"state": before},
        after={
            "state": truck.state,
            "inspection_id": inspection.id,
            "kind": inspection.kind,
            "result": inspection.result,
            "started_at": started,
        },
    )
    return inspection


def release_truck(
    db: Session, *, truck_id: str, actor: Actor, at: datetime | None = None
) -> TruckVisit:
    """Release the truck if its lane's controls are done; 409 naming the rule otherwise."""
    truck = get_truck(db, truck_id, for_update=True)
    at = at or utcnow()
    done = [(i.kind, i.result) for i in inspections_of(db, truck)]
    with cargo_rules():
        lanes.check_release(truck.state, truck.lane, done)
    assessment = clearance.check_release(db, truck=truck)  # permits and payments
    before = truck.state
    truck.state = TruckState.RELEASED.value
    truck.released_at = at
    if truck.service_started_at is not None:
        truck.service_finished_at = at
    truck.post_clearance_audit = lanes.needs_post_clearance_audit(Lane(truck.lane))
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="truck.release",
        subject_type="truck_visit",
        subject_id=truck.id,
        before={"state": before},
        after={
            "state": truck.state,
            "lane": truck.lane,
            "inspections": len(done),
            "post_clearance_audit": truck.post_clearance_audit,
            "paid": str(assessment.paid),
            "guaranteed": str(assessment.guaranteed),
        },
    )
    return truck
