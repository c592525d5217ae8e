"""Daily series of one crossing, as SQL aggregates: trucks per day by lane, passenger movements
per day by direction, and the day's counts for the dashboard.

Days are the crossing's own (its time zone, daylight saving included): the boundaries are
computed here and the database sorts each row into its day with a CASE over them, which both
SQLite and PostgreSQL run the same way (no dialect date functions).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from borderpost.cargo.lanes import Lane, TruckState
from borderpost.cargo.models import TruckVisit
from borderpost.crossing.models import Crossing
from borderpost.db import count_if
from borderpost.traveller.models import Movement
from borderpost.traveller.rules import Decision, Direction

MAX_DAYS = 366


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def day_starts(crossing: Crossing, days: list[date]) -> list[datetime]:
    """The UTC start of each day at the crossing, and the end of the last one."""
    zone = ZoneInfo(crossing.timezone)
    edges = [*days, days[-1] + timedelta(days=1)]
    return [datetime.combine(d, time.min, zone).astimezone(UTC) for d in edges]


def _day_of(column, starts: list[datetime]):
    """The day's index (0, 1, ...) of a timestamp already known to lie within the days."""
    return case(*[(column < end, n) for n, end in enumerate(starts[1:])], else_=len(starts) - 2)


def _series(rows, keys: list[str], n_days: int) -> dict[str, list[int]]:
    series = {k: [0] * n_days for k in keys}
    for key, day, count in rows:
        if key in series and 0 <= int(day) < n_days:
            series[key][int(day)] += int(count)
    return series


def _per_day(
    db: Session,
    crossing: Crossing,
    days: list[date],
    model: Any,
    key: Any,
    at: Any,
    keys: list[str],
    *also: Any,
) -> dict[str, list[int]]:
    """The crossing's rows of `model` (and `also`) counted per value of `key` and local day of
    `at`."""
    starts = day_starts(crossing, days[:MAX_DAYS])
    day = _day_of(at, starts).label("day")
    rows = db.execute(
        select(key, day, func.count())
        .where(model.crossing_id == crossing.id, at >= starts[0], at < starts[-1], *also)
        .group_by(key, day)
    ).all()
    return _series(rows, keys, len(starts) - 1)


def trucks_per_day_by_lane(
    db: Session, crossing: Crossing, days: list[date]
) -> dict[str, list[int]]:
    """Trucks that arrived on each day, by risk lane."""
    lanes = [lane.value for lane in Lane]
    return _per_day(db, crossing, days, TruckVisit, TruckVisit.lane, TruckVisit.arrived_at, lanes)


def passengers_per_day_by_direction(
    db: Session, crossing: Crossing, days: list[date]
) -> dict[str, list[int]]:
    """Passenger movements recorded on each day, by direction (entry, exit)."""
    directions = [d.value for d in Direction]
    return _per_day(
        db,
        crossing,
        days,
        Movement,
        Movement.direction,
        Movement.recorded_at,
        directions,
        Movement.travel_mode != "truck_driver",  # drivers are counted with their trucks
    )


def counts_of_day(db: Session, crossing: Crossing, day: date) -> dict[str, int]:
    """The dashboard's figures for one day at the crossing, and the referrals still open."""
    start, end = day_starts(crossing, [day])
    moves = db.execute(
        select(
            count_if(Movement.direction == Direction.ENTRY.value),
            count_if(Movement.direction == Direction.EXIT.value),
            count_if(Movement.initial_decision == Decision.REFERRED.value),
        ).where(
            Movement.crossing_id == crossing.id,
            Movement.recorded_at >= start,
            Movement.recorded_at < end,
            Movement.travel_mode != "truck_driver",  # drivers are counted with their trucks
        )
    ).one()
    waiting_referrals = db.scalar(
        select(func.count()).where(
            Movement.crossing_id == crossing.id, Movement.decision == Decision.REFERRED.value
        )
    )
    trucks = db.execute(
        select(
            func.count(),
            count_if(TruckVisit.state == TruckState.RELEASED.value),
        ).where(
            TruckVisit.crossing_id == crossing.id,
            TruckVisit.arrived_at >= start,
            TruckVisit.arrived_at < end,
        )
    ).one()
    released = db.scalar(
        select(func.count()).where(
            and_(
                TruckVisit.crossing_id == crossing.id,
                TruckVisit.released_at >= start,
                TruckVisit.released_at < end,
            )
        )
    )
    return {
        "entries": int(moves[0]),
        "exits": int(moves[1]),
        "referred": int(moves[2]),
        "referrals_waiting": int(waiting_referrals or 0),
        "trucks_arrived": int(trucks[0]),
        "trucks_released": int(released or 0),
    }
