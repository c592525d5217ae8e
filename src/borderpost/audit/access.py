"""The access log: who read which traveller, movement, truck (its driver) or group person, when.

Reads are recorded where they happen without any route saying so: the request edges watch their
read sessions (`watch`), every personal record the session loads is noted, and the notes are
written (`write`) after the answer is rendered and before it is sent, so an answer whose reads
could not be recorded is never sent. Writes are in the audit log already and are not repeated.
Only ids are kept: the access log is itself no place for names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, event, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from borderpost.audit.models import AuditId
from borderpost.db import Base, Database, utcnow
from borderpost.logs import request_id_var

# table -> the subject type the log names; the rows of these tables are persons' data
PERSONAL_TABLES = {
    "traveller": "traveller",
    "movement": "movement",
    "truck_visit": "truck",
    "group_person": "group_person",
}
SUBJECT_TYPES = tuple(PERSONAL_TABLES.values())
_WATCH = "borderpost_access"


class AccessRecord(Base):
    __tablename__ = "access_record"
    __table_args__ = (
        Index("ix_access_record_subject", "subject_type", "subject_id"),
        Index("ix_access_record_user", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(AuditId, primary_key=True, autoincrement=True)
    accessed_at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(String(32))
    # The crossing of a movement or truck; for others the crossing the request named, if any.
    crossing_id: Mapped[str | None] = mapped_column(String(32))
    # How: the route's template (`GET /api/v1/movements/{movement_id}`), never its values.
    route: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(64))


@dataclass
class Accesses:
    """What one request read, noted as its read session loads it."""

    user_id: str
    username: str
    role: str
    route: str
    # The crossing the path named, for records that carry none of their own (group persons).
    crossing_id: str | None = None
    seen: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def note(self, table: str, instance: Any) -> None:
        key = (PERSONAL_TABLES[table], instance.id)
        self.seen.setdefault(key, getattr(instance, "crossing_id", None) or self.crossing_id)


def route_of(method: str, path: str, template: str | None, params: dict[str, Any]) -> str:
    """`GET /api/v1/movements/{movement_id}`: the route's template under its prefix, no values
    (an included router's route knows its template without the prefix)."""
    if not template:
        return f"{method} {path}"
    filled = template
    for name, value in params.items():
        filled = filled.replace("{" + name + "}", str(value))
    prefix = path[: len(path) - len(filled)] if path.endswith(filled) else ""
    return f"{method} {prefix}{template}"


def watch(db: Session, accesses: Accesses) -> None:
    db.info[_WATCH] = accesses


@event.listens_for(Session, "loaded_as_persistent")
def _loaded(session: Session, instance: Any) -> None:
    accesses = session.info.get(_WATCH)
    if accesses is None:
        return
    table = getattr(instance, "__tablename__", None)
    if table in PERSONAL_TABLES:
        accesses.note(table, instance)


def write(database: Database, accesses: Accesses) -> None:
    """Record what was read, in a transaction of its own; raises when it cannot."""
    if not accesses.seen:
        return
    now, request_id = utcnow(), request_id_var.get()
    rows = [
        {
            "accessed_at": now,
            "user_id": accesses.user_id,
            "username": accesses.username,
            "role": accesses.role,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "crossing_id": crossing_id,
            "route": accesses.route[:200],
            "request_id": request_id,
        }
        for (subject_type, subject_id), crossing_id in accesses.seen.items()
    ]
    with database.transaction() as db:
        db.execute(insert(AccessRecord), rows)


def list_records(
    db: Session,
    *,
    limit: int,
    before_id: int | None = None,
    username: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    crossing_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AccessRecord]:
    """Newest first, `limit` at most, every filter optional."""
    query = select(AccessRecord).order_by(AccessRecord.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AccessRecord.id < before_id)
    if username is not None:
        query = query.where(AccessRecord.username == username.strip().lower())
    if subject_type is not None:
        query = query.where(AccessRecord.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AccessRecord.subject_id == subject_id)
    if crossing_id is not None:
        query = query.where(AccessRecord.crossing_id == crossing_id)
    if since is not None:
        query = query.where(AccessRecord.accessed_at >= since)
    if until is not None:
        query = query.where(AccessRecord.accessed_at < until)
    return list(db.scalars(query))
