"""record() writes one audit record in the caller's transaction; verify() recomputes the chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from borderpost.audit import checkpoints, postgres
from borderpost.audit.canonical import GENESIS, digest, jsonable
from borderpost.audit.checkpoints import Checkpoint
from borderpost.audit.models import AuditRecord
from borderpost.db import utcnow
from borderpost.plain_sql import PlainStatement


def _fields(rec: AuditRecord) -> dict[str, Any]:
    return {
        "id": rec.id,
        "at": jsonable(rec.at),
        "actor": rec.actor,
        "action": rec.action,
        "subject_type": rec.subject_type,
        "subject_id": rec.subject_id,
        "before": rec.before,
        "after": rec.after,
    }


_INSERT = insert(AuditRecord.__table__)
# The chain's head on SQLite, read by every write: a plain statement (plain_sql.py).
_HEAD = PlainStatement(
    select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)
)


def record(
    db: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one record to the chain, in the caller's transaction.

    Appends are serialised so the chain never forks. SQLite writers hold the database lock
    already (BEGIN IMMEDIATE): the record is appended here. On PostgreSQL the chain's lock is
    held from the append until the commit, so the record waits in the session and is appended
    at commit, in the same round trip as the COMMIT (audit.postgres).
    """
    at = utcnow()
    fields = {
        "at": jsonable(at),
        "actor": actor,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "before": jsonable(before),
        "after": jsonable(after),
    }
    conn = db.connection()
    if conn.dialect.name == "postgresql":
        postgres.queue(db, at, fields)
        return
    # Core on the session's connection: the statements are built once and nothing here needs
    # the session's pending objects flushed first (they are flushed by the commit).
    head = _HEAD.first(db, {})
    prev_id, prev_hash = (head[0], head[1]) if head else (0, GENESIS)
    hashed = digest(prev_hash, {**fields, "id": prev_id + 1})
    # Parameters beside one cached statement: `.values(...)` would build and key a new
    # statement for every record (the demo loader and the booths append tens of thousands).
    conn.execute(
        _INSERT, {**fields, "id": prev_id + 1, "at": at, "prev_hash": prev_hash, "hash": hashed}
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """One record for `record_many`."""

    action: str
    subject_type: str
    subject_id: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record_many(db: Session, *, actor: str, entries: list[Entry]) -> None:
    """Add many records to the chain, in order, in the caller's transaction: what `record` does
    for each, with one read of the head and one multi-row insert on SQLite (a bulk load's
    thousands of records), queued like any record on PostgreSQL."""
    if not entries:
        return
    at = utcnow()
    rows = [
        {
            "at": jsonable(at),
            "actor": actor,
            "action": e.action,
            "subject_type": e.subject_type,
            "subject_id": e.subject_id,
            "before": jsonable(e.before),
            "after": jsonable(e.after),
        }
        for e in entries
    ]
    if db.get_bind().dialect.name == "postgresql":
        for fields in rows:
            postgres.queue(db, at, fields)
        return
    head = _HEAD.first(db, {})
    prev_id, prev_hash = (head[0], head[1]) if head else (0, GENESIS)
    chained = []
    for fields in rows:
        prev_id += 1
        hashed = digest(prev_hash, {**fields, "id": prev_id})
        chained.append({**fields, "id": prev_id, "at": at, "prev_hash": prev_hash, "hash": hashed})
        prev_hash = hashed
    db.execute(_INSERT, chained)


def commit(db: Session) -> None:
    """Commit the caller's transaction with its audit records: on PostgreSQL the queued records
    and the COMMIT go in one round trip, so the chain's lock is never held while this process
    waits for the interpreter. (A plain `db.commit()` appends them too, one round trip each.)"""
    postgres.commit(db)


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    records: int
    head: str
    first_bad_id: int | None = None
    problem: str | None = None  # in English, for the CLI and the API
    # What was found, for the pages to say it in their language: missing, link, content,
    # rewritten, unreadable, head, cut-short; checkpoint-file when the checkpoints cannot be read.
    kind: str | None = None
    checkpoint: Checkpoint | None = None  # the signed one it was checked against (configured)


class UnreadableRecord(Exception):
    def __init__(self, record_id: int) -> None:
        super().__init__(record_id)
        self.record_id = record_id


def _iter_records(db: Session, batch: int = 5000) -> Iterator[AuditRecord]:
    last = 0
    while True:
        query = (
            select(AuditRecord).where(AuditRecord.id > last).order_by(AuditRecord.id).limit(batch)
        )
        try:
            rows = db.scalars(query).all()
        except (ValueError, TypeError, UnicodeError, StatementError):
            # A value the database holds but cannot give back (JSON edited by hand into
            # something that does not parse, a time that is not one): find which record.
            db.rollback()
            raise UnreadableRecord(_first_unreadable(db, after=last)) from None
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        db.expunge_all()


def _first_unreadable(db: Session, *, after: int) -> int:
    for record_id in db.scalars(
        select(AuditRecord.id).where(AuditRecord.id > after).order_by(AuditRecord.id)
    ):
        try:
            db.scalars(select(AuditRecord).where(AuditRecord.id == record_id)).one()
        except (ValueError, TypeError, UnicodeError, StatementError):
            db.rollback()
            return record_id
    return after + 1


def verify(
    db: Session, *, expected_head: str | None = None, checkpoint: Checkpoint | None = None
) -> Verification:
    """Recompute every hash. A changed record breaks its own hash; a removed one breaks the link
    or the numbering; a log cut short at the end is caught by an `expected_head` taken earlier.
    A signed `checkpoint` catches what the chain alone cannot: a record edited with every later
    hash recomputed (the checkpointed record's hash differs) and a tail cut off (it is gone)."""
    postgres.append_queued(db)  # this session's own records, if it queued any
    prev_hash, count, expected_id = GENESIS, 0, 1
    seen_expected = expected_head is None
    try:
        for rec in _iter_records(db):
            if rec.id != expected_id:
                problem = f"record {expected_id} is missing"
                return Verification(False, count, prev_hash, rec.id, problem, "missing")
            if rec.prev_hash != prev_hash:
                return Verification(
                    False, count, prev_hash, rec.id, "link to the previous record broken", "link"
                )
            if digest(prev_hash, _fields(rec)) != rec.hash:
                problem = "record content does not match its hash"
                return Verification(False, count, prev_hash, rec.id, problem, "content")
            if checkpoint and rec.id == checkpoint.records and rec.hash != checkpoint.head:
                return Verification(
                    False,
                    count,
                    prev_hash,
                    rec.id,
                    f"the log was rewritten: record {rec.id} differs from the signed "
                    f"checkpoint of {checkpoint.at}",
                    "rewritten",
                )
            prev_hash, count, expected_id = rec.hash, count + 1, expected_id + 1
            seen_expected = seen_expected or rec.hash == expected_head
    except UnreadableRecord as exc:
        problem = f"record {exc.record_id} cannot be read (a value in it is malformed)"
        return Verification(False, count, prev_hash, exc.record_id, problem, "unreadable")
    if not seen_expected:
        problem = "the expected head is not in the log"
        return Verification(False, count, prev_hash, None, problem, "head")
    if checkpoint is not None and count < checkpoint.records:
        return Verification(
            False,
            count,
            prev_hash,
            None,
            f"the log was cut short: it has {count} records, the signed checkpoint of "
            f"{checkpoint.at} covers {checkpoint.records}",
            "cut-short",
        )
    return Verification(True, count, prev_hash)


def verify_configured(
    db: Session,
    *,
    checkpoint_file: Path | None,
    key_file: Path | None,
    expected_head: str | None = None,
) -> Verification:
    """`verify` against the last signed checkpoint when the checkpoints file and a key are set
    (the public key is enough); a checkpoints file that cannot be trusted is itself a failure."""
    try:
        checkpoint = checkpoints.configured_latest(checkpoint_file, key_file)
    except checkpoints.CheckpointError as exc:
        result = verify(db, expected_head=expected_head)
        return Verification(False, result.records, result.head, None, str(exc), "checkpoint-file")
    result = verify(db, expected_head=expected_head, checkpoint=checkpoint)
    return replace(result, checkpoint=checkpoint)


def list_records(
    db: Session,
    *,
    limit: int,
    before_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    crossing: tuple[str, str] | None = None,
) -> list[AuditRecord]:
    """Newest first, `limit` at most, every filter optional. `actor` is a username (records
    name their actor "username (role)"); `crossing` (id, code) keeps the records of the crossing
    itself and those whose details name it (movements, trucks, assessments...)."""
    postgres.append_queued(db)  # this session's own records, if it queued any
    query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditRecord.id < before_id)
    if since is not None:
        query = query.where(AuditRecord.at >= since)
    if until is not None:
        query = query.where(AuditRecord.at < until)
    if actor is not None:
        name = actor.strip().lower()
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(
            or_(AuditRecord.actor == name, AuditRecord.actor.like(f"{escaped} (%", escape="\\"))
        )
    if action is not None:
        query = query.where(AuditRecord.action == action)
    if subject_type is not None:
        query = query.where(AuditRecord.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AuditRecord.subject_id == subject_id)
    if crossing is not None:
        crossing_id, code = crossing
        query = query.where(
            or_(
                and_(AuditRecord.subject_type == "crossing", AuditRecord.subject_id == crossing_id),
                AuditRecord.after["crossing"].as_string() == code,
            )
        )
    return list(db.scalars(query))


def kinds(db: Session) -> tuple[list[str], list[str]]:
    """The actions and the subject types the log holds, for the filters' choices."""
    actions = db.scalars(select(AuditRecord.action).distinct().order_by(AuditRecord.action))
    types = db.scalars(
        select(AuditRecord.subject_type).distinct().order_by(AuditRecord.subject_type)
    )
    return list(actions), list(types)
