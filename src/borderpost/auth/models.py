"""Users of the system: officers, analysts, auditors and the neighbouring state's liaisons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from borderpost.auth.permissions import Role
from borderpost.db import Base, utcnow
from borderpost.ids import new_id


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(20))
    # The state an official acts for: required for liaisons, optional otherwise.
    country: Mapped[str | None] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped to revoke every token issued so far (logout everywhere, disabled user).
    token_version: Mapped[int] = mapped_column(default=0)
    # Bumped by every change to the account or its crossings (role, scope, disable, enable,
    # password, revocation): the token check reads only this to know its cached copy is current.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserCrossing(Base):
    """A crossing a user is kept to. A user with none acts on every crossing of their scope."""

    __tablename__ = "user_crossing"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"), primary_key=True)
