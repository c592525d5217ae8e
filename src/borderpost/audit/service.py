"""record() writes one audit record in the caller's transaction; verify() recomputes the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from borderpost.audit.models import AuditRecord
from borderpost.db import utcnow

GENESIS = "0" * 64
# Any constant works: it names the lock that serialises appends to the chain on PostgreSQL.
_PG_CHAIN_LOCK = 7_305_202_411


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _fields(rec: AuditRecord) -> dict[str, Any]:
    return {
        "id": rec.id,
        "at": _jsonable(rec.at),
        "actor": rec.actor,
        "action": rec.action,
        "subject_type": rec.subject_type,
        "subject_id": rec.subject_id,
        "before": rec.before,
        "after": rec.after,
    }


def record(
    db: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> str:
    """Append one record to the chain, in the caller's transaction; returns its hash.

    Appends are serialised so the chain never forks: SQLite writers already hold the database
    lock (BEGIN IMMEDIATE); on PostgreSQL a transaction-scoped advisory lock does it.
    """
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
    head = db.execute(
        select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)
    ).first()
    prev_id, prev_hash = (head[0], head[1]) if head else (0, GENESIS)
    fields = {
        "id": prev_id + 1,
        "at": utcnow(),
        "actor": actor,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "before": _jsonable(before),
        "after": _jsonable(after),
    }
    digest = _digest(prev_hash, {**fields, "at": _jsonable(fields["at"])})
    # A plain INSERT: the unit of work would cost more than the statement on every write.
    db.execute(insert(AuditRecord).values(**fields, prev_hash=prev_hash, hash=digest))
    return digest


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    records: int
    head: str
    first_bad_id: int | None = None
    problem: str | None = None


def _iter_records(db: Session, batch: int = 5000) -> Iterator[AuditRecord]:
    last = 0
    while True:
        rows = db.scalars(
            select(AuditRecord).where(AuditRecord.id > last).order_by(AuditRecord.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        db.expunge_all()


def verify(db: Session, *, expected_head: str | None = None) -> Verification:
    """Recompute every hash. A changed record breaks its own hash; a removed one breaks the link
    or the numbering; a log cut short at the end is caught by an `expected_head` taken earlier."""
    prev_hash, count, expected_id = GENESIS, 0, 1
    seen_expected = expected_head is None
    for rec in _iter_records(db):
        if rec.id != expected_id:
            return Verification(False, count, prev_hash, rec.id, f"record {expected_id} is missing")
        if rec.prev_hash != prev_hash:
            return Verification(
                False, count, prev_hash, rec.id, "link to the previous record broken"
            )
        if _digest(prev_hash, _fields(rec)) != rec.hash:
            return Verification(
                False, count, prev_hash, rec.id, "record content does not match its hash"
            )
        prev_hash, count, expected_id = rec.hash, count + 1, expected_id + 1
        seen_expected = seen_expected or rec.hash == expected_head
    if not seen_expected:
        return Verification(False, count, prev_hash, None, "the expected head is not in the log")
    return Verification(True, count, prev_hash)


def list_records(db: Session, *, limit: int, before_id: int | None = None) -> list[AuditRecord]:
    query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditRecord.id < before_id)
    return list(db.scalars(query))
