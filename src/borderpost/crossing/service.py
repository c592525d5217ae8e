"""Crossing use cases: the one place their rules are applied and their changes audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.crossing import assessments as joint
from borderpost.crossing import rules
from borderpost.crossing.models import (
    Crossing,
    Incident,
    Statement,
    StatusChange,
    TrafficStatus,
)
from borderpost.crossing.rules import (
    Allowed,
    Category,
    ClassStatus,
    Direction,
    ReasonCategory,
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
    for traffic in Traffic:  # a new crossing starts open for every class, both ways
        for direction in Direction:
            db.add(
                TrafficStatus(
                    crossing_id=crossing.id,
                    traffic=traffic,
                    direction=direction,
                    state=State.OPEN,
                    since=at,
                )
            )
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


# Built once: every movement and truck arrival reads its crossing through this statement.
_BY_CODE = (
    select(Crossing)
    .options(joinedload(Crossing.statuses))
    .where(Crossing.code == bindparam("code"))
)


def get_crossing(db: Session, code: str) -> Crossing:
    """The crossing, with its status per traffic class in the same query (every movement and
    arrival checks it: `require_admission` then needs no query of its own)."""
    crossing = db.scalar(_BY_CODE, {"code": code.upper()})
    if crossing is None:
        raise errors.not_found("crossing", code)
    return crossing


@dataclass(frozen=True, slots=True)
class CrossingView:
    """A crossing and its status rows as plain values, for reads that only show them."""

    id: str
    code: str
    name: str
    country: str
    neighbour_country: str
    counterpart_name: str
    timezone: str
    statuses: list[Row]  # the columns of TrafficStatus, one row per class and direction


_VIEW = (
    select(
        Crossing.id,
        Crossing.code,
        Crossing.name,
        Crossing.country,
        Crossing.neighbour_country,
        Crossing.counterpart_name,
        Crossing.timezone,
        TrafficStatus.traffic,
        TrafficStatus.direction,
        TrafficStatus.state,
        TrafficStatus.since,
        TrafficStatus.reason_category,
        TrafficStatus.reason,
        TrafficStatus.allowed_categories,
        TrafficStatus.allowed_nationalities,
    )
    .join(TrafficStatus, TrafficStatus.crossing_id == Crossing.id)
    .where(Crossing.code == bindparam("code"))
)


def crossing_view(db: Session, code: str) -> CrossingView:
    """The crossing and its status in one query of columns: nothing enters the session."""
    rows = db.connection().execute(_VIEW, {"code": code.upper()}).all()
    if not rows:
        raise errors.not_found("crossing", code)
    first = rows[0]
    return CrossingView(
        first.id,
        first.code,
        first.name,
        first.country,
        first.neighbour_country,
        first.counterpart_name,
        first.timezone,
        rows,
    )


def list_crossings(db: Session) -> list[Crossing]:
    query = select(Crossing).options(selectinload(Crossing.statuses))
    return list(db.scalars(query.order_by(Crossing.code)))


@dataclass(frozen=True, slots=True)
class ClassView:
    """One traffic class: v1's fields from its most open direction, and every direction."""

    state: str
    since: datetime
    reason_category: str | None
    reason: str | None
    directions: dict[Direction, TrafficStatus]


def allowed_of(row: TrafficStatus) -> Allowed | None:
    if row.state != State.RESTRICTED or (
        not row.allowed_categories and not row.allowed_nationalities
    ):
        return None
    return Allowed(
        frozenset(Category(c) for c in row.allowed_categories or ()),
        frozenset(row.allowed_nationalities or ()),
    )


def _class_status(row: TrafficStatus) -> ClassStatus:
    reason = ReasonCategory(row.reason_category) if row.reason_category else None
    return ClassStatus(State(row.state), reason, allowed_of(row))


def current_status(db: Session, crossing: Crossing | CrossingView) -> dict[Traffic, ClassView]:
    """The crossing's status per class, from its status rows (loaded with the crossing by
    `get_crossing`, `list_crossings` and `crossing_view`, so reading it costs no query there)."""
    del db  # kept for the callers: the rows come with the crossing
    return class_views(crossing.statuses)


def class_views(statuses: Iterable[TrafficStatus]) -> dict[Traffic, ClassView]:
    """Per class, v1's fields from its most open direction beside every direction's row."""
    rows: dict[Traffic, dict[Direction, TrafficStatus]] = {}
    for row in statuses:
        rows.setdefault(Traffic(row.traffic), {})[Direction(row.direction)] = row
    views = {}
    for traffic, directions in rows.items():
        shown = directions[
            rules.most_open({d: (State(r.state), r.since) for d, r in directions.items()})
        ]
        views[traffic] = ClassView(
            shown.state, shown.since, shown.reason_category, shown.reason, directions
        )
    return views


def require_admission(
    *,
    crossing: Crossing,
    traffic: Traffic,
    direction: str,
    category: Category | str = Category.REGULAR,
    nationality: str | None = None,
) -> None:
    """For the traveller and cargo domains: refuse a movement or a truck the status of its
    direction does not let pass now (closed, or restricted to other categories/nationalities)."""
    way = rules.direction_of(direction)
    row = next(
        (s for s in crossing.statuses if s.traffic == traffic.value and s.direction == way.value),
        None,
    )
    if row is None:
        return
    rules.check_admission(
        crossing_code=crossing.code,
        traffic=traffic,
        direction=way,
        status=_class_status(row),
        category=Category(category),
        nationality=nationality,
    )


def _lock_status(db: Session, crossing: Crossing) -> dict[tuple[Traffic, Direction], TrafficStatus]:
    """Take the crossing's row lock and read its status as the previous holder left it.

    Every status change of a crossing holds this lock until it commits, so each one starts from
    the state the previous one left (PostgreSQL; an SQLite writer holds the whole database).
    FOR NO KEY UPDATE: rows that refer to the crossing (movements, trucks) may still be added.
    """
    db.execute(
        select(Crossing.id).where(Crossing.id == crossing.id).with_for_update(key_share=True)
    )
    rows = db.scalars(
        select(TrafficStatus)
        .where(TrafficStatus.crossing_id == crossing.id)
        .execution_options(populate_existing=True)
    )
    return {(Traffic(r.traffic), Direction(r.direction)): r for r in rows}


def change_status(
    db: Session,
    *,
    crossing: Crossing,
    traffic: Sequence[Traffic],
    state: State,
    reason_category: ReasonCategory | None,
    reason: str,
    assessment_id: str | None,
    directions: Sequence[Direction] = tuple(Direction),
    allowed: Allowed | None = None,
    actor: Actor,
    at: datetime | None = None,
) -> StatusChange:
    statuses = _lock_status(db, crossing)
    assessment = joint.assessment_facts(db, assessment_id) if assessment_id else None
    if state != State.RESTRICTED or allowed == Allowed():
        allowed = None
    rules.check_status_change(
        crossing_code=crossing.code,
        current={key: _class_status(row) for key, row in statuses.items()},
        traffic=traffic,
        new_state=state,
        assessment=assessment,
        directions=directions,
        allowed=allowed,
    )
    at = at or utcnow()
    before = {t.value: {d.value: statuses[t, d].state for d in directions} for t in traffic}
    change = StatusChange(
        crossing_id=crossing.id,
        traffic=[t.value for t in traffic],
        directions=[d.value for d in directions],
        state=state,
        previous={
            t.value: max((State(s) for s in before[t.value].values()), key=rules.OPENNESS.get)
            for t in traffic
        },
        previous_directions=before,
        allowed=_allowed_json(allowed),
        reason_category=reason_category,
        reason=reason,
        assessment_id=assessment_id,
        changed_at=at,
        changed_by=actor.label,
    )
    db.add(change)
    db.flush()
    for t in traffic:
        for d in directions:
            row = statuses[t, d]
            row.state, row.since, row.change_id = state, at, change.id
            row.reason_category, row.reason = reason_category, reason
            allowed_json = _allowed_json(allowed)
            row.allowed_categories = allowed_json["categories"] if allowed_json else None
            row.allowed_nationalities = allowed_json["nationalities"] if allowed_json else None
    audit.record(
        db,
        actor=actor.label,
        action="crossing.status_change",
        subject_type="crossing",
        subject_id=crossing.id,
        before=change.previous,  # per direction: the status change row (change_id)
        after={
            "traffic": change.traffic,
            "directions": change.directions,
            "state": state,
            "reason_category": reason_category,
            "allowed": change.allowed,
            "assessment_id": assessment_id,
            "change_id": change.id,
        },
    )
    return change


def _allowed_json(allowed: Allowed | None) -> dict[str, list[str]] | None:
    if allowed is None:
        return None
    return {
        "categories": sorted(c.value for c in allowed.categories),
        "nationalities": sorted(allowed.nationalities),
    }


def list_status_changes(
    db: Session, *, crossing: Crossing, limit: int, before_id: str | None = None
) -> list[StatusChange]:
    query = select(StatusChange).where(StatusChange.crossing_id == crossing.id)
    if before_id:
        query = query.where(StatusChange.id < before_id)
    return list(db.scalars(query.order_by(StatusChange.id.desc()).limit(limit)))


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
    if problem := rules.event_time_problem(occurred_at, now=utcnow()):
        raise errors.invalid("occurred_at", problem)
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


def incident_times(
    db: Session, *, crossing: Crossing, since: datetime, until: datetime
) -> list[datetime]:
    """When the crossing's incidents occurred in [since, until): for counts per day."""
    query = select(Incident.occurred_at).where(
        Incident.crossing_id == crossing.id,
        Incident.occurred_at >= since,
        Incident.occurred_at < until,
    )
    return list(db.scalars(query))
