"""The crossing as it stood at a past moment: status per traffic class and the statement then.

Read from the history (status changes, statements), for the dashboard's `?until=` views.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from borderpost.crossing.models import Crossing, Statement, StatusChange, TrafficStatus
from borderpost.crossing.rules import State, Traffic


def status_at(db: Session, crossing: Crossing, at: datetime) -> dict[Traffic, TrafficStatus]:
    """Each class's state at `at`: the last change up to then that named it, else open since
    the crossing was created (every crossing starts open). Rows built for reading, not saved."""
    changes = db.scalars(
        select(StatusChange)
        .where(StatusChange.crossing_id == crossing.id, StatusChange.changed_at <= at)
        .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc())
    )
    found: dict[Traffic, TrafficStatus] = {}
    for change in changes:
        for name in change.traffic:
            traffic = Traffic(name)
            if traffic not in found:
                found[traffic] = TrafficStatus(
                    crossing_id=crossing.id,
                    traffic=traffic.value,
                    state=change.state,
                    since=change.changed_at,
                    reason_category=change.reason_category,
                    reason=change.reason,
                    change_id=change.id,
                )
        if len(found) == len(Traffic):
            break
    for traffic in Traffic:
        found.setdefault(
            traffic,
            TrafficStatus(
                crossing_id=crossing.id,
                traffic=traffic.value,
                state=State.OPEN.value,
                since=crossing.created_at,
            ),
        )
    return found


def statement_at(db: Session, crossing: Crossing, at: datetime) -> Statement | None:
    """The latest statement published up to `at`."""
    query = select(Statement).where(
        Statement.crossing_id == crossing.id, Statement.published_at <= at
    )
    return db.scalar(query.order_by(Statement.published_at.desc(), Statement.id.desc()).limit(1))
