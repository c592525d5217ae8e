"""Request and response bodies of permits and document alerts."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator

from borderpost.admission.rules import AlertKind, Entries, PermitKind, PermitStatus
from borderpost.traveller.schemas import DocumentNumber, Name, OptionalName
from borderpost.validation import Input, ShortText, TravelCountry

_PERMIT_NUMBER = re.compile(r"[A-Z0-9/-]{1,40}")


def _permit_number(value: str) -> str:
    value = value.strip().upper()
    if not _PERMIT_NUMBER.fullmatch(value):
        raise ValueError("must be 1 to 40 letters, digits, / or -")
    return value


PermitNumber = Annotated[str, AfterValidator(_permit_number)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class HolderIn(Input):
    document_number: DocumentNumber
    issuing_state: TravelCountry
    nationality: TravelCountry
    surname: Name
    given_names: OptionalName = ""
    birth_date: date | None = None


class PermitCreate(Input):
    kind: PermitKind
    number: PermitNumber
    issuing_state: TravelCountry = Field(description="The state that issued the permit")
    holder: HolderIn
    valid_from: date
    valid_until: date
    stay_days: int | None = Field(
        default=None, ge=1, le=3650, description="Days of stay from entry (a visa's duration)"
    )
    entries: Entries

    @model_validator(mode="after")
    def _period(self) -> PermitCreate:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class HolderRead(BaseModel):
    document_number: str
    issuing_state: str
    nationality: str
    surname: str
    given_names: str
    birth_date: date | None


class PermitRead(BaseModel):
    id: str
    kind: PermitKind
    number: str
    issuing_state: str
    holder: HolderRead
    valid_from: date
    valid_until: date
    stay_days: int | None
    entries: Entries
    status: PermitStatus = Field(description="As of today (UTC)")
    used_by_movement_id: str | None
    used_at: datetime | None
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str | None
    created_at: datetime
    created_by: str


class PermitPage(BaseModel):
    items: list[PermitRead]
    next_cursor: str | None = None


class CancellationCreate(Input):
    reason: Note


class AlertCreate(Input):
    document_number: DocumentNumber
    issuing_state: TravelCountry
    kind: AlertKind
    source: ShortText = Field(description="Who listed the document (INTERPOL SLTD, a ministry)")
    note: Note | None = None


class AlertRead(BaseModel):
    id: str
    document_number: str
    issuing_state: str
    kind: AlertKind
    source: str
    note: str | None
    created_at: datetime
    created_by: str


class AlertPage(BaseModel):
    items: list[AlertRead]
    next_cursor: str | None = None


class RejectedRow(BaseModel):
    line: int
    message: str


class ImportReport(BaseModel):
    imported: int
    rejected: list[RejectedRow]
