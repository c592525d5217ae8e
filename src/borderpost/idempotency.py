"""Idempotency-Key: a retried POST returns the first response and records nothing twice.

A key is claimed in a short transaction of its own (state `in_progress`), then completed with the
response in the *same* transaction as the write it guards. So `in_progress` always means "the write
has not committed": if the server dies mid-request, a retry after the lease may safely run again.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from borderpost import errors
from borderpost.db import Base, utcnow
from borderpost.ids import new_id

LEASE = timedelta(seconds=60)
MAX_KEY_LENGTH = 200


class IdempotencyKey(Base):
    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))  # in_progress | done
    claimed_at: Mapped[datetime] = mapped_column(index=True)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)


@dataclass(frozen=True, slots=True)
class Claim:
    row_id: str


class Replay(Exception):
    """The key was used before with this very request: answer with the stored response."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__("idempotent replay")
        self.status = status
        self.body = body


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def validate_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise errors.invalid("Idempotency-Key", f"1 to {MAX_KEY_LENGTH} printable characters")
    return key


def claim(
    db: Session, *, user_id: str, key: str, fingerprint: str, keep: timedelta = timedelta(hours=48)
) -> Claim:
    """Claim the key for this request and commit the claim. Raises Replay, 409 or 422."""
    _purge_expired(db, keep)
    row = IdempotencyKey(
        user_id=user_id, key=key, request_hash=fingerprint, state="in_progress", claimed_at=utcnow()
    )
    db.add(row)
    try:
        db.commit()
        return Claim(row.id)
    except IntegrityError:
        db.rollback()
    existing = db.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )
    if existing is None:  # removed between our insert and this read: the key is free again
        return claim(db, user_id=user_id, key=key, fingerprint=fingerprint, keep=keep)
    if existing.request_hash != fingerprint:
        raise errors.invalid(
            "Idempotency-Key",
            "this key was used with a different request",
            slug="idempotency-mismatch",
        )
    if existing.state == "done":
        assert existing.response_status is not None and existing.response_body is not None
        raise Replay(existing.response_status, existing.response_body)
    if utcnow() - existing.claimed_at < LEASE:
        raise errors.conflict(
            "idempotency-in-progress",
            "A request with this Idempotency-Key is still being processed.",
        )
    # The first attempt never committed its write (else the key would be done): take it over.
    existing.claimed_at = utcnow()
    db.commit()
    return Claim(existing.id)


def complete(db: Session, claimed: Claim, *, status: int, body: bytes) -> None:
    """Store the response in the caller's transaction, beside the write it answers for."""
    row = db.get(IdempotencyKey, claimed.row_id)
    if row is None:  # pragma: no cover - only if purged mid-request
        return
    row.state, row.response_status, row.response_body = "done", status, body


def release(db: Session, claimed: Claim) -> None:
    """The request failed and wrote nothing: free the key so a retry runs again."""
    db.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.id == claimed.row_id, IdempotencyKey.state == "in_progress"
        )
    )
    db.commit()


_last_purge = 0.0


def _purge_expired(db: Session, keep: timedelta) -> None:
    global _last_purge
    if time.monotonic() - _last_purge < 60:
        return
    _last_purge = time.monotonic()
    db.execute(delete(IdempotencyKey).where(IdempotencyKey.claimed_at < utcnow() - keep))
