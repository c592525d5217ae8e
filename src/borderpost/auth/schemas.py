from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from borderpost.auth.permissions import Role
from borderpost.validation import CountryCode

CrossingCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,20}$")]
Crossings = Annotated[list[CrossingCode], Field(max_length=100)]


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class UserRead(BaseModel):
    id: str
    username: str
    role: Role
    country: str | None
    # The crossings the user is kept to; empty: every crossing of their scope.
    crossings: list[str] = []
    active: bool
    created_at: datetime


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, StringConstraints(min_length=2, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    role: Role
    country: CountryCode | None = None
    crossings: Crossings = []


class ScopeSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: CountryCode | None
    crossings: Crossings = []


class PasswordSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
