"""Passenger and group-arrival statistics of one crossing over a period, as SQL aggregates.

The period is given in days at the crossing (its own time zone), both ends included. Every
recorded movement is counted once: by direction, by its present decision (a referral resolved
since counts as admitted or refused; `referred` counts those still waiting), and by nationality.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from borderpost.crossing.models import Crossing
from borderpost.db import count_if
from borderpost.traveller.models import GroupArrival, GroupHandover, GroupPerson, Movement
from borderpost.traveller.rules import Custody, Decision, Direction


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC


def period_of(crossing: Crossing, first: date | None, last: date | None) -> Period:
    zone = ZoneInfo(crossing.timezone)
    start = (
        datetime.combine(first, time.min, zone).astimezone(UTC)
        if first
        else datetime(1970, 1, 1, tzinfo=UTC)
    )
    end = (
        datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
        if last
        else datetime(9999, 1, 1, tzinfo=UTC)
    )
    return Period(start, end)


def passenger_statistics(db: Session, crossing: Crossing, period: Period) -> dict[str, object]:
    rows = db.execute(
        select(
            Movement.nationality,
            func.count(),
            count_if(Movement.direction == Direction.ENTRY.value),
            count_if(Movement.direction == Direction.EXIT.value),
            count_if(Movement.decision == Decision.ADMITTED.value),
            count_if(Movement.decision == Decision.REFERRED.value),
            count_if(Movement.decision == Decision.REFUSED.value),
            count_if(Movement.initial_decision == Decision.REFERRED.value),
        )
        .where(
            Movement.crossing_id == crossing.id,
            Movement.recorded_at >= period.start,
            Movement.recorded_at < period.end,
            Movement.travel_mode != "truck_driver",  # drivers are counted with their trucks
        )
        .group_by(Movement.nationality)
    ).all()
    keys = ("movements", "entries", "exits", "admitted", "referred", "refused", "ever_referred")
    by_nationality = [
        {"nationality": row[0], **{k: int(v) for k, v in zip(keys, row[1:], strict=True)}}
        for row in rows
    ]
    by_nationality.sort(key=lambda n: (-n["movements"], n["nationality"]))
    totals = {k: sum(int(n[k]) for n in by_nationality) for k in keys}
    return totals | {"by_nationality": by_nationality}


def group_arrival_statistics(db: Session, crossing: Crossing, period: Period) -> dict[str, object]:
    """Groups that arrived in the period, their persons by present custody status, and the
    persons handed over in the period (whichever group they came with)."""
    in_period = (
        GroupArrival.crossing_id == crossing.id,
        GroupArrival.arrived_at >= period.start,
        GroupArrival.arrived_at < period.end,
    )
    group_rows = db.execute(
        select(GroupArrival.category, func.count())
        .where(*in_period)
        .group_by(GroupArrival.category)
    ).all()
    person_rows = db.execute(
        select(
            GroupPerson.custody,
            func.count(),
            count_if(GroupPerson.screening_status == "possible_match"),
        )
        .join(GroupArrival, GroupArrival.id == GroupPerson.group_arrival_id)
        .where(*in_period)
        .group_by(GroupPerson.custody)
    ).all()
    handed_in_period = db.scalar(
        select(func.coalesce(func.sum(GroupHandover.persons), 0))
        .join(GroupArrival, GroupArrival.id == GroupHandover.group_arrival_id)
        .where(
            GroupArrival.crossing_id == crossing.id,
            GroupHandover.handed_over_at >= period.start,
            GroupHandover.handed_over_at < period.end,
        )
    )
    by_custody = {c.value: 0 for c in Custody}
    matches = 0
    for custody, n, n_matches in person_rows:
        by_custody[custody] = int(n)
        matches += int(n_matches)
    return {
        "groups": sum(int(n) for _, n in group_rows),
        "persons": sum(by_custody.values()),
        **by_custody,
        "possible_matches": matches,
        "handed_over_in_period": int(handed_in_period or 0),
        "by_category": [
            {"category": category, "groups": int(n)} for category, n in sorted(group_rows)
        ],
    }
