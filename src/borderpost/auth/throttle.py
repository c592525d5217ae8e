"""Login throttling: repeated failures lock an account, and a client address, for a while.

Counted per username and per client address, so neither guessing one password nor spraying many
accounts from one place gets far. The counters live in the database (several workers share them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from borderpost.db import Base, utcnow

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Limits:
    per_account: int = 5
    # An address serves a whole booth hall at a remote post: allow it more before locking it.
    per_address: int = 30
    lockout: timedelta = timedelta(minutes=15)


class LoginThrottle(Base):
    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # "user:<name>" / "addr:<ip>"
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


@dataclass(frozen=True, slots=True)
class Lock:
    key: str
    until: datetime


def locked(db: Session, keys: list[str]) -> Lock | None:
    now = utcnow()
    rows = db.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))
    for row in rows:
        if row.locked_until is not None and row.locked_until > now:
            return Lock(row.key, row.locked_until)
    return None


def record_failure(db: Session, key: str, limits: Limits) -> Lock | None:
    """Count one failure; returns the new lock when this failure crossed the limit."""
    now = utcnow()
    row = db.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_started_at=now)
        db.add(row)
    if now - row.window_started_at > WINDOW:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    limit = limits.per_address if key.startswith("addr:") else limits.per_account
    if row.failures >= limit:
        row.locked_until = now + limits.lockout
        row.failures, row.window_started_at = 0, now
        db.flush()
        return Lock(key, row.locked_until)
    db.flush()
    return None


def clear(db: Session, key: str) -> None:
    row = db.get(LoginThrottle, key)
    if row is not None:
        db.delete(row)
