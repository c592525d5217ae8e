from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from borderpost.validation import CountryCode, Input, ShortText


class WatchlistCreate(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    source: ShortText
    purpose: Literal["screening", "exit_ban"] = "screening"


class WatchlistRead(BaseModel):
    id: str
    name: str
    source: str
    purpose: str
    version: int
    entry_count: int
    created_at: datetime
    imported_at: datetime | None


class RejectedRow(BaseModel):
    line: int
    message: str


class ImportReport(BaseModel):
    imported: int
    rejected: list[RejectedRow]
    # entries kept with a detail left empty (an unknown nationality, a malformed date, ...)
    warnings: list[RejectedRow] = []


ImportFormat = Literal["csv", "ftm", "un-xml"]


class SearchRequest(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    birth_date: date | None = None
    nationality: CountryCode | None = None


class SearchMatch(BaseModel):
    entry_id: str
    list: str
    name: str
    matched_alias: str
    score: float = Field(ge=0, le=1)
    explanation: list[str] = []


class SearchResult(BaseModel):
    matches: list[SearchMatch]
