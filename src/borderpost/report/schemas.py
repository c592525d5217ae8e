from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from borderpost.crossing.rules import State


class PublicClassStatus(BaseModel):
    state: State
    since: datetime


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


class PublicCrossing(BaseModel):
    code: str
    name: str
    counterpart_name: str
    status: PublicStatus
    waits: PublicWaits
    statement: PublicStatement | None
    updated_at: datetime
