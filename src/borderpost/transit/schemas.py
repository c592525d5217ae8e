"""Request and response bodies of the transit domain."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from borderpost.cargo.schemas import DeclarationNumber, DriverIn, Plate
from borderpost.transit.rules import MAX_TIME_LIMIT_HOURS, TransitState
from borderpost.validation import CountryCode, LongText

Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=r"^[\w\-/. ]+$"),
]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TransitOpen(Input):
    seals: list[Code] = Field(min_length=1, max_length=50, description="Seal numbers applied")
    guarantee_ref: Code = Field(description="The guarantee (a TIR carnet, a bank guarantee)")
    office_of_destination: Code = Field(examples=["IQ-UMQASR", "JO-KARAMA"])
    time_limit_hours: int = Field(default=72, ge=1, le=MAX_TIME_LIMIT_HOURS)


class TransitDischarge(Input):
    seals_found: list[Code] = Field(max_length=50, description="Seal numbers found on arrival")
    note: LongText | None = None


class TransitRead(BaseModel):
    id: str
    truck_id: str
    plate: str
    declaration_number: str
    seals: list[str]
    guarantee_ref: str
    office_of_destination: str
    state: TransitState
    opened_at: datetime
    due_at: datetime
    overdue: bool
    overdue_hours: int
    discharged_at: datetime | None
    seals_found: list[str] | None
    discharge_note: str | None


class TransferLine(Input):
    item_index: int = Field(ge=1, description="The source declaration's line")
    gross_kg: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=3)]


class TransferCreate(Input):
    plate: Plate
    registration_country: CountryCode
    trailer_plate: Plate | None = None
    driver: DriverIn
    declaration_number: DeclarationNumber = Field(description="The receiving truck's declaration")
    lines: list[TransferLine] = Field(min_length=1, max_length=999)
    seals_removed: list[Code] = Field(default=[], max_length=50)
    seals_applied: list[Code] = Field(default=[], max_length=50)


class TransferRead(BaseModel):
    id: str
    from_truck_id: str
    to_truck_id: str
    lines: list[dict[str, object]]
    seals_removed: list[str]
    seals_applied: list[str]
    recorded_at: datetime
