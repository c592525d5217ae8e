"""Cargo statistics of a crossing over a period, as SQL aggregates.

The period is half-open, [start, end), on the trucks' arrival times: the counts are of the trucks
that arrived in it and what has become of them (released, inspected, seized) so far. Dates are
whole UTC days, `end` included (`start=2025-06-14, end=2025-06-27` is the first fortnight).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import and_, distinct, exists, func, select
from sqlalchemy.orm import Session

from borderpost.cargo.hs import chapter_description
from borderpost.cargo.lanes import InspectionResult, TruckState
from borderpost.cargo.models import DeclarationItem, Inspection, TruckVisit
from borderpost.cargo.schemas import Direction, Number
from borderpost.crossing.models import Crossing
from borderpost.db import count_if

_THOUSAND = Decimal(1000)


class ChapterStatistics(BaseModel):
    chapter: str
    description: str
    trucks: int
    gross_kg: Number


class CurrencyTotal(BaseModel):
    currency: str
    value: Number


class CargoStatistics(BaseModel):
    trucks_inbound: int
    trucks_outbound: int
    released: int
    inspected: int
    seizures: int
    gross_kg: Number
    by_hs_chapter: list[ChapterStatistics]
    value_by_currency: list[CurrencyTotal]
    by_lane: dict[str, int]


def _bounds(start: date | datetime, end: date | datetime) -> tuple[datetime, datetime]:
    def moment(value: date | datetime, *, next_day: bool) -> datetime:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("statistics bounds need a time zone")
            return value.astimezone(UTC)
        day = value + timedelta(days=1) if next_day else value
        return datetime.combine(day, time(0), tzinfo=UTC)

    return moment(start, next_day=False), moment(end, next_day=True)


def _amount(thousandths: int | None) -> Decimal:
    return (Decimal(int(thousandths or 0)) / _THOUSAND).normalize() + 0


def cargo_statistics(
    db: Session, *, crossing: Crossing, start: date | datetime, end: date | datetime
) -> CargoStatistics:
    begin, stop = _bounds(start, end)
    in_period = and_(
        TruckVisit.crossing_id == crossing.id,
        TruckVisit.arrived_at >= begin,
        TruckVisit.arrived_at < stop,
    )
    inspected = exists().where(Inspection.truck_visit_id == TruckVisit.id)
    seized = exists().where(
        Inspection.truck_visit_id == TruckVisit.id,
        Inspection.result == InspectionResult.SEIZURE.value,
    )

    totals = db.execute(
        select(
            count_if(TruckVisit.direction == Direction.INBOUND.value),
            count_if(TruckVisit.direction == Direction.OUTBOUND.value),
            count_if(TruckVisit.state == TruckState.RELEASED.value),
            count_if(inspected),
            count_if(seized),
        ).where(in_period)
    ).one()
    lanes = dict(
        db.execute(
            select(TruckVisit.lane, func.count()).where(in_period).group_by(TruckVisit.lane)
        ).all()
    )
    items = select(DeclarationItem).join(TruckVisit).where(in_period).subquery()
    chapters = db.execute(
        select(
            items.c.hs_chapter,
            func.count(distinct(items.c.truck_visit_id)),
            func.sum(items.c.gross_grams),
        )
        .group_by(items.c.hs_chapter)
        .order_by(items.c.hs_chapter)
    ).all()
    currencies = db.execute(
        select(items.c.currency, func.sum(items.c.value_thousandths))
        .group_by(items.c.currency)
        .order_by(items.c.currency)
    ).all()
    gross = db.scalar(select(func.sum(items.c.gross_grams)))
    return CargoStatistics(
        trucks_inbound=int(totals[0]),
        trucks_outbound=int(totals[1]),
        released=int(totals[2]),
        inspected=int(totals[3]),
        seizures=int(totals[4]),
        gross_kg=_amount(gross),
        by_hs_chapter=[
            ChapterStatistics(
                chapter=chapter,
                description=chapter_description(chapter) or "",
                trucks=int(trucks),
                gross_kg=_amount(grams),
            )
            for chapter, trucks, grams in chapters
        ],
        value_by_currency=[
            CurrencyTotal(currency=currency, value=_amount(value)) for currency, value in currencies
        ],
        by_lane={lane: int(lanes.get(lane, 0)) for lane in ("green", "blue", "yellow", "red")},
    )
