"""Permits (visas, residence permits) and document alerts (lost, stolen, revoked documents)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from borderpost.db import Base
from borderpost.ids import new_id


class Permit(Base):
    """A visa or residence permit issued to the holder of one travel document."""

    __tablename__ = "permit"
    __table_args__ = (
        UniqueConstraint("issuing_state", "kind", "number"),
        Index("ix_permit_holder_document", "holder_issuing_state", "holder_document_number"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(10))  # visa | residence
    number: Mapped[str] = mapped_column(String(40))
    issuing_state: Mapped[str] = mapped_column(String(3))
    holder_document_number: Mapped[str] = mapped_column(String(20))
    holder_issuing_state: Mapped[str] = mapped_column(String(3))
    holder_nationality: Mapped[str] = mapped_column(String(3))
    surname: Mapped[str] = mapped_column(String(100))
    given_names: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    stay_days: Mapped[int | None] = mapped_column(Integer)
    entries: Mapped[str] = mapped_column(String(8))  # single | multiple
    # A single-entry permit is used up by the entry that used it (serialised: FOR UPDATE).
    used_by_movement_id: Mapped[str | None] = mapped_column(String(32))
    used_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))


class DocumentAlert(Base):
    """A travel document reported lost, stolen, revoked or invalid (an SLTD-style record)."""

    __tablename__ = "document_alert"
    __table_args__ = (
        # Also the index the booth's look-up by document uses (its leading columns).
        UniqueConstraint("issuing_state", "document_number", "source"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    document_number: Mapped[str] = mapped_column(String(20))
    issuing_state: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(8))  # lost | stolen | revoked | invalid
    source: Mapped[str] = mapped_column(String(200))  # who listed it (INTERPOL SLTD, a ministry)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))
