"""Bodies that use cargo's schemas (apart from schemas.py, which cargo's schemas use): a
declaration's amendment, a pre-arrival's truck."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from borderpost.cargo.schemas import MAX_ITEMS, Direction, DriverIn, ItemIn, Plate
from borderpost.clearance.schemas import Input, Number
from borderpost.validation import CountryCode, LongText


class AmendmentCreate(Input):
    items: list[ItemIn] = Field(min_length=1, max_length=MAX_ITEMS)
    reason: LongText = Field(description="What the inspection found and what was corrected")


class AmendmentRead(BaseModel):
    id: str
    truck_id: str
    reason: str
    duties_before: Number
    duties_after: Number
    penalty: Number
    recorded_at: datetime


class PreArrivalTruck(Input):
    """The truck of a lodged declaration, at its arrival: the declaration is the one lodged."""

    direction: Direction
    plate: Plate
    registration_country: CountryCode
    trailer_plate: Plate | None = None
    driver: DriverIn
