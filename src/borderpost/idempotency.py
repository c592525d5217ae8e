"""Idempotency-Key: a retried POST returns the first response and records nothing twice.

A key is claimed in a short transaction of its own (state `in_progress`, with a claim token), then
completed with the response in the *same* transaction as the write it guards. So `in_progress`
always means "no write has committed". If the server dies mid-request, a retry after the lease
takes the claim over with a new token; should the first attempt still be alive and try to complete
later, its token no longer matches, it fails, and its write is rolled back. Each key therefore
records its write exactly once, however the attempts interleave.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from borderpost import errors
from borderpost.db import Base, utcnow
from borderpost.ids import new_id

MAX_KEY_LENGTH = 200


class IdempotencyKey(Base):
    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))  # in_progress | done
    claim_token: Mapped[str] = mapped_column(String(32), default="")
    claimed_at: Mapped[datetime] = mapped_column(index=True)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)


@dataclass(frozen=True, slots=True)
class Policy:
    keep: timedelta = timedelta(hours=48)  # how long answers are kept for replay
    lease: timedelta = timedelta(seconds=60)  # after this an unfinished claim may be taken over


@dataclass(frozen=True, slots=True)
class Claim:
    row_id: str
    token: str


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
    db: Session, *, user_id: str, key: str, fingerprint: str, policy: Policy = Policy()
) -> Claim:
    """Claim the key for this request and commit the claim. Raises Replay, 409 or 422."""
    _purge_expired(db, policy.keep)
    token = secrets.token_hex(16)
    row = IdempotencyKey(
        user_id=user_id, key=key, request_hash=fingerprint, state="in_progress",
        claim_token=token, claimed_at=utcnow(),
    )  # fmt: skip
    db.add(row)
    try:
        db.commit()
        return Claim(row.id, token)
    except IntegrityError:
        db.rollback()
    existing = db.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )
    if existing is None:  # removed between our insert and this read: the key is free again
        return claim(db, user_id=user_id, key=key, fingerprint=fingerprint, policy=policy)
    if existing.request_hash != fingerprint:
        raise errors.invalid(
            "Idempotency-Key",
            "this key was used with a different request",
            slug="idempotency-mismatch",
        )
    if existing.state == "done":
        assert existing.response_status is not None and existing.response_body is not None
        raise Replay(existing.response_status, existing.response_body)
    if utcnow() - existing.claimed_at < policy.lease:
        raise errors.conflict(
            "idempotency-in-progress",
            "A request with this Idempotency-Key is still being processed.",
        )
    taken = db.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == existing.id, IdempotencyKey.claim_token == existing.claim_token)
        .values(claim_token=token, claimed_at=utcnow())
    )
    db.commit()
    if taken.rowcount != 1:  # another retry took it over first
        raise errors.conflict(
            "idempotency-in-progress",
            "A request with this Idempotency-Key is still being processed.",
        )
    return Claim(existing.id, token)


def complete(db: Session, claimed: Claim, *, status: int, body: bytes) -> None:
    """Store the response in the caller's transaction, beside the write it answers for.

    Fails (and so rolls the write back) when the claim was taken over in the meantime.
    """
    done = db.execute(
        update(IdempotencyKey)
        .where(
            IdempotencyKey.id == claimed.row_id,
            IdempotencyKey.claim_token == claimed.token,
            IdempotencyKey.state == "in_progress",
        )
        .values(state="done", response_status=status, response_body=body)
    )
    if done.rowcount != 1:
        raise errors.conflict(
            "idempotency-in-progress",
            "This request took longer than its lease and a retry has taken it over.",
        )


def release(db: Session, claimed: Claim) -> None:
    """The request failed and wrote nothing: free the key so a retry runs again."""
    db.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.id == claimed.row_id,
            IdempotencyKey.claim_token == claimed.token,
            IdempotencyKey.state == "in_progress",
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
