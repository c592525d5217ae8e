from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from borderpost.auth.permissions import Role


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class UserRead(BaseModel):
    id: str
    username: str
    role: Role
    country: str | None
    active: bool
    created_at: datetime
