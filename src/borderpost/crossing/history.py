"""The crossing as it stood at a past moment: status per traffic class and the statement then.

Read from the history (status changes, statements), for the dashboard's `?until=` views.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from borderpost.crossing.models import Crossing, Statement, StatusChange, TrafficStatus
from borderpost.crossing.rules import Direction, State, Traffic
from borderpost.crossing.service import ClassView, class_views


def status_at(db: Session, crossing: Crossing, at: datetime) -> dict[Traffic, ClassView]:
    """Each class's state per direction at `at`: the last change up to then that named it, else
    open since the crossing was created (every crossing starts open). Rows built for reading,
    not saved."""
    changes = db.scalars(
        select(StatusChange)
        .where(StatusChange.crossing_id == crossing.id, StatusChange.changed_at <= at)
        .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc())
    )
    found: dict[tuple[Traffic, Direction], TrafficStatus] = {}
    every = len(Traffic) * len(Direction)
    for change in changes:
        allowed = change.allowed or {}
        for name in change.traffic:
            for way in change.directions or [d.value for d in Direction]:
                key = (Traffic(name), Direction(way))
                if key not in found:
                    found[key] = TrafficStatus(
                        crossing_id=crossing.id,
                        traffic=name,
                        direction=way,
                        state=change.state,
                        since=change.changed_at,
                        reason_category=change.reason_category,
                        reason=change.reason,
                        change_id=change.id,
                        allowed_categories=allowed.get("categories"),
                        allowed_nationalities=allowed.get("nationalities"),
                    )
        if len(found) == every:
            break
    for traffic in Traffic:
        for way in Direction:
            found.setdefault(
                (traffic, way),
                TrafficStatus(
                    crossing_id=crossing.id,
                    traffic=traffic.value,
                    direction=way.value,
                    state=State.OPEN.value,
                    since=crossing.created_at,
                ),
            )
    return class_views(found.values())


def statement_at(db: Session, crossing: Crossing, at: datetime) -> Statement | None:
    """The latest statement published up to `at`."""
    query = select(Statement).where(
        Statement.crossing_id == crossing.id, Statement.published_at <= at
    )
    return db.scalar(query.order_by(Statement.published_at.desc(), Statement.id.desc()).limit(1))
