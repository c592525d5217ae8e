"""The queue at a crossing: waiting trucks in call order, each with its estimated wait.

Estimates come from `wait.estimate_queue`, fed with what the database has recorded: the trucks
queued, the trucks in service and since when, and the recent services (call or first inspection
to release or detention). The typical service time per lane is the mean of the last
`HISTORY` services of that lane (a lane with fewer than `MIN_TYPICAL` keeps the built-in default),
so a crossing whose red examinations take two hours learns that.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo import wait
from borderpost.cargo.lanes import Lane, TruckState
from borderpost.cargo.models import InspectionLanes, TruckVisit
from borderpost.cargo.queueing import PriorityClass, QueuedTruck
from borderpost.cargo.wait import InService, ServiceRecord
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing
from borderpost.crossing.rules import State, Traffic
from borderpost.db import utcnow

DEFAULT_OPEN_LANES = 4
HISTORY = 600  # recent services read for the estimate (about two days at a busy crossing)
MIN_TYPICAL = 10


@dataclass(frozen=True, slots=True)
class Waiting:
    queue_position: int
    truck_id: str
    plate: str
    direction: str
    lane: Lane
    priority_class: PriorityClass
    arrived_at: datetime
    estimated_wait_minutes: int | None


@dataclass(frozen=True, slots=True)
class Serving:
    truck_id: str
    plate: str
    lane: Lane
    state: str
    service_started_at: datetime


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    at: datetime
    lanes_open: int
    waiting: list[Waiting]
    in_service: list[Serving]
    mean_service_minutes: dict[Lane, float]
    new_arrival_wait_minutes: int | None

    def position_of(self, truck_id: str) -> Waiting | None:
        return next((w for w in self.waiting if w.truck_id == truck_id), None)


def open_lanes(db: Session, crossing: Crossing) -> tuple[int, datetime | None]:
    row = db.get(InspectionLanes, crossing.id)
    return (row.open_lanes, row.since) if row else (DEFAULT_OPEN_LANES, None)


def set_open_lanes(
    db: Session, *, crossing: Crossing, open: int, actor: Actor, at: datetime | None = None
) -> InspectionLanes:
    if not 1 <= open <= 50:
        raise errors.invalid("open", "from 1 to 50 lanes")
    at = at or utcnow()
    row = db.get(InspectionLanes, crossing.id)
    before = row.open_lanes if row else DEFAULT_OPEN_LANES
    if row is None:
        row = InspectionLanes(
            crossing_id=crossing.id, open_lanes=open, since=at, set_by=actor.label
        )
        db.add(row)
    else:
        row.open_lanes, row.since, row.set_by = open, at, actor.label
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="cargo.inspection_lanes",
        subject_type="crossing",
        subject_id=crossing.id,
        before={"open": before},
        after={"open": open},
    )
    return row


def queued_truck(truck_id: str, arrived_at: datetime, lane: str, priority: int) -> QueuedTruck:
    """A QueuedTruck whose priority class is the one stored at arrival (computed then from the
    declaration's HS codes, regime and flags), carried by the flags that give that class."""
    cls = PriorityClass(priority)
    return QueuedTruck(
        truck_id=truck_id,
        arrived_at=arrived_at,
        lane=Lane(lane),
        regime="transit" if cls is PriorityClass.TRANSIT else "import",
        humanitarian=cls is PriorityClass.LIVE_ANIMALS,
        temperature_controlled=cls is PriorityClass.PERISHABLE,
    )


_LANES = {lane.value: lane for lane in Lane}
_CLASSES = {cls.value: cls for cls in PriorityClass}
_VISIT = TruckVisit.__table__.c  # plain columns: no ORM row loading for the HISTORY rows


def _recent_services(db: Session, crossing: Crossing, now: datetime) -> list[ServiceRecord]:
    rows = db.execute(
        select(
            _VISIT.lane,
            _VISIT.service_started_at,
            _VISIT.service_finished_at,
            _VISIT.priority_class,
        )
        .where(
            _VISIT.crossing_id == crossing.id,
            _VISIT.service_finished_at.is_not(None),
            _VISIT.service_finished_at <= now,
        )
        .order_by(_VISIT.service_finished_at.desc())
        .limit(HISTORY)
    )
    return [
        ServiceRecord(_LANES[lane], started, finished, _CLASSES[priority])
        for lane, started, finished, priority in rows
        if started is not None and finished >= started
    ]


def _typical(services: list[ServiceRecord]) -> dict[Lane, float]:
    by_lane: dict[Lane, list[float]] = defaultdict(list)
    for s in services:
        by_lane[s.lane].append(s.minutes)
    typical = {}
    for lane, minutes in by_lane.items():
        if len(minutes) >= MIN_TYPICAL:
            cap = 4.0 * statistics.median(minutes)
            typical[lane] = statistics.fmean(min(m, cap) for m in minutes)
    return typical


def _cargo_closed(db: Session, crossing: Crossing) -> bool:
    status = crossings.current_status(db, crossing).get(Traffic.CARGO)
    return status is not None and status.state == State.CLOSED  # closed both ways


PAST = timedelta(minutes=1)


def _queue_at(now: datetime, *, past: bool) -> tuple[list[Any], list[Any]]:
    """Conditions for the trucks waiting and in service: by state now; at a past moment by the
    visits' times (arrived by then and not yet called; called and not yet finished)."""
    if not past:
        return (
            [TruckVisit.state == TruckState.QUEUED.value],
            [TruckVisit.state == TruckState.INSPECTING.value],
        )
    started_later = or_(
        TruckVisit.service_started_at.is_(None), TruckVisit.service_started_at > now
    )
    finished_later = or_(
        TruckVisit.service_finished_at.is_(None), TruckVisit.service_finished_at > now
    )
    return (
        [TruckVisit.arrived_at <= now, started_later],
        [TruckVisit.service_started_at <= now, finished_later],
    )


def queue_snapshot(db: Session, *, crossing: Crossing, at: datetime | None = None) -> QueueSnapshot:
    """The queue now (or at `at`, for the demo and tests): who waits, in which order, how long."""
    now = at or utcnow()
    lanes_open, _ = open_lanes(db, crossing)
    past = at is not None and at < utcnow() - PAST
    waiting_then, serving_then = _queue_at(now, past=past)
    waiting_rows = db.execute(
        select(
            TruckVisit.id,
            TruckVisit.plate,
            TruckVisit.direction,
            TruckVisit.lane,
            TruckVisit.priority_class,
            TruckVisit.arrived_at,
        ).where(TruckVisit.crossing_id == crossing.id, *waiting_then)
    ).all()
    serving_rows = db.execute(
        select(
            TruckVisit.id,
            TruckVisit.plate,
            TruckVisit.lane,
            TruckVisit.state,
            TruckVisit.service_started_at,
        ).where(TruckVisit.crossing_id == crossing.id, *serving_then)
    ).all()
    services = _recent_services(db, crossing, now)
    typical = _typical(services)
    queued = [queued_truck(r.id, r.arrived_at, r.lane, r.priority_class) for r in waiting_rows]
    in_service = [
        InService(r.id, Lane(r.lane), min(r.service_started_at, now)) for r in serving_rows
    ]
    estimate = wait.estimate_queue(
        queued,
        in_service=in_service,
        recent_services=services,
        lanes_open=lanes_open,
        now=now,
        typical=typical,
    )
    new_arrival = None if _cargo_closed(db, crossing) else estimate.new_arrival
    details = {r.id: r for r in waiting_rows}
    waiting = [
        Waiting(
            queue_position=n,
            truck_id=q.truck_id,
            plate=details[q.truck_id].plate,
            direction=details[q.truck_id].direction,
            lane=q.lane,
            priority_class=PriorityClass(details[q.truck_id].priority_class),
            arrived_at=q.arrived_at,
            estimated_wait_minutes=estimate.waits.get(q.truck_id),
        )
        for n, q in enumerate(estimate.order, start=1)
    ]
    serving = [
        Serving(
            r.id,
            r.plate,
            Lane(r.lane),
            TruckState.INSPECTING.value if past else r.state,
            r.service_started_at,
        )
        for r in sorted(serving_rows, key=lambda r: r.service_started_at)
    ]
    return QueueSnapshot(
        at=now,
        lanes_open=lanes_open,
        waiting=waiting,
        in_service=serving,
        mean_service_minutes={lane: round(m, 1) for lane, m in estimate.times.mean.items()},
        new_arrival_wait_minutes=new_arrival,
    )


def public_wait_minutes(
    db: Session, *, crossing: Crossing, at: datetime | None = None
) -> int | None:
    """What an ordinary truck arriving now can expect to wait; None while cargo is closed."""
    return queue_snapshot(db, crossing=crossing, at=at).new_arrival_wait_minutes


def queue_lengths(db: Session) -> dict[tuple[str, str], float]:
    """Trucks waiting per crossing and lane, for the monitoring gauge."""
    rows = db.execute(
        select(Crossing.code, TruckVisit.lane, func.count())
        .join(TruckVisit, TruckVisit.crossing_id == Crossing.id)
        .where(TruckVisit.state == TruckState.QUEUED.value)
        .group_by(Crossing.code, TruckVisit.lane)
    )
    return {(code, lane): float(n) for code, lane, n in rows}
