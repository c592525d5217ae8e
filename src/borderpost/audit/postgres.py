"""Appending to the audit chain on PostgreSQL: queued in the session, appended at commit.

The database function `audit_record_append` (migration 2026-11-27_audit_append) takes the chain's
transaction-scoped lock, reads the head, hashes and inserts. The lock is held until COMMIT, and
every writer waits for it, so nothing may stand between the append and the commit: `commit()`
sends the queued appends and the COMMIT in one pipeline, one round trip with no waiting in this
process while the lock is held. Any other commit of a session with queued records appends them
first (`before_commit` below), so a record can never be left out of its transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from borderpost import errors
from borderpost.audit.canonical import around_id

_QUEUE = "borderpost_audit_queue"
_APPEND = "SELECT audit_record_append(%s, %s, %s, %s, %s, %s, %s, %s, %s)"


def queue(db: Session, at: datetime, fields: dict[str, Any]) -> None:
    # These statements bypass the engine's NUL guard (db.py): PostgreSQL refuses NUL in text.
    if any("\x00" in fields[name] for name in ("actor", "action", "subject_type", "subject_id")):
        raise errors.invalid("input", "contains a NUL character")
    if db.in_nested_transaction():
        # Inside a savepoint: appended now, so that its rollback takes the record with it.
        db.flush()
        with _driver_connection(db).cursor() as cursor:
            cursor.execute(_APPEND, _arguments(at, fields))
        return
    db.connection()  # the session's transaction has begun: a rollback always ends the queue
    db.info.setdefault(_QUEUE, []).append(_arguments(at, fields))


def _arguments(at: datetime, fields: dict[str, Any]) -> tuple[Any, ...]:
    head, tail = around_id(fields)
    return (
        at,
        fields["actor"],
        fields["action"],
        fields["subject_type"],
        fields["subject_id"],
        Json(fields["before"]),
        Json(fields["after"]),
        head,
        tail,
    )


def _driver_connection(db: Session) -> Any:
    return db.connection().connection.driver_connection


def append_queued(db: Session) -> None:
    """Append what the session queued, now, in its transaction."""
    queued = db.info.pop(_QUEUE, None)
    if not queued:
        return
    db.flush()
    with _driver_connection(db).cursor() as cursor:
        for arguments in queued:
            cursor.execute(_APPEND, arguments)


def commit(db: Session) -> None:
    assert not db.in_nested_transaction(), "commit the outer transaction, not a savepoint"
    queued = db.info.pop(_QUEUE, None)
    if queued:
        db.flush()  # the transaction's own rows go before the chain is locked
        connection = _driver_connection(db)
        with connection.pipeline(), connection.cursor() as cursor:
            for arguments in queued:
                cursor.execute(_APPEND, arguments)
            connection.commit()
    db.commit()  # the session's bookkeeping; the connection has committed already


@event.listens_for(Session, "before_commit")
def _append_before_commit(session: Session) -> None:
    append_queued(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_when_the_transaction_ends(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back or closed: its records go with it
        session.info.pop(_QUEUE, None)
