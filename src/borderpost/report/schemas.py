from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from borderpost.crossing.rules import Category, State
from borderpost.report.cargo_statistics import CargoStatistics


class PublicAllowed(BaseModel):
    categories: list[Category]
    nationalities: list[str]


class PublicDirectionStatus(BaseModel):
    state: State
    since: datetime
    allowed: PublicAllowed | None = None
    # What may pass, in words, when the direction is restricted to a list (else null).
    summary_en: str | None = None
    summary_ar: str | None = None


class PublicDirections(BaseModel):
    entry: PublicDirectionStatus
    exit: PublicDirectionStatus


class PublicClassStatus(BaseModel):
    """v1's fields (the most open direction) and each direction."""

    state: State
    since: datetime
    directions: PublicDirections


class PublicStatus(BaseModel):
    cargo: PublicClassStatus
    passenger: PublicClassStatus


class PublicWaits(BaseModel):
    cargo_minutes: int | None = None
    passenger_minutes: int | None = None


class PublicStatement(BaseModel):
    text_en: str
    text_ar: str
    published_at: datetime
    current: bool = Field(
        True,
        description="False when a traffic class changed state after the statement was "
        "published: it describes an earlier situation and is shown as past.",
    )


class PublicCrossing(BaseModel):
    code: str
    name: str
    counterpart_name: str
    status: PublicStatus
    waits: PublicWaits
    statement: PublicStatement | None
    updated_at: datetime


class NationalityCounts(BaseModel):
    nationality: str
    movements: int
    entries: int
    exits: int
    admitted: int
    referred: int
    refused: int
    ever_referred: int


class PassengerStatistics(BaseModel):
    movements: int
    entries: int
    exits: int
    admitted: int
    referred: int = Field(description="Referred and not resolved yet")
    refused: int
    ever_referred: int = Field(description="Referred at the booth, whatever the resolution")
    by_nationality: list[NationalityCounts]


class CategoryCount(BaseModel):
    category: str
    groups: int


class GroupArrivalStatistics(BaseModel):
    groups: int
    persons: int
    in_custody: int
    in_hospital: int
    released: int
    handed_over: int
    possible_matches: int
    handed_over_in_period: int
    by_category: list[CategoryCount]


class CrossingStatistics(BaseModel):
    crossing: str
    from_: date | None = Field(alias="from", serialization_alias="from")
    to: date | None
    passengers: PassengerStatistics
    cargo: CargoStatistics
    group_arrivals: GroupArrivalStatistics

    model_config = ConfigDict(populate_by_name=True)
