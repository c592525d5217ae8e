"""Travellers and their movements; group arrivals, their persons, batches and handovers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from borderpost.db import Base
from borderpost.ids import new_id


class Traveller(Base):
    """A person known by one travel document (issuing state + number)."""

    __tablename__ = "traveller"
    __table_args__ = (UniqueConstraint("issuing_state", "document_number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    issuing_state: Mapped[str] = mapped_column(String(3))
    document_number: Mapped[str] = mapped_column(String(20))
    document_type: Mapped[str] = mapped_column(String(2))
    nationality: Mapped[str] = mapped_column(String(3))
    surname: Mapped[str] = mapped_column(String(100))
    given_names: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    sex: Mapped[str] = mapped_column(String(1))
    expiry_date: Mapped[date]
    # The last movement that let the traveller cross (admitted, also on referral): where they are.
    last_crossed: Mapped[str | None] = mapped_column(String(5))
    last_crossed_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]


class Movement(Base):
    __tablename__ = "movement"
    __table_args__ = (
        Index("ix_movement_crossing_recorded", "crossing_id", "recorded_at"),
        Index("ix_movement_traveller_recorded", "traveller_id", "recorded_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"))
    traveller_id: Mapped[str] = mapped_column(ForeignKey("traveller.id"))
    direction: Mapped[str] = mapped_column(String(5))
    travel_mode: Mapped[str] = mapped_column(String(12))
    purpose: Mapped[str | None] = mapped_column(String(200))
    nationality: Mapped[str] = mapped_column(String(3))
    # The document as read at this movement (MRZ or typed), the traveller fields of the contract.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(8))  # mrz | document
    decision: Mapped[str] = mapped_column(String(8))
    initial_decision: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    screening_status: Mapped[str] = mapped_column(String(14))
    screening_matches: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    refusal_ground: Mapped[str | None] = mapped_column(String(1))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    # The state's law (admission): the permit an entry used, the last day of the stay it
    # allows (an exit after it is an overstay), and on exit the days over.
    permit_id: Mapped[str | None] = mapped_column(String(32))
    stay_until: Mapped[date | None]
    overstay_days: Mapped[int | None] = mapped_column(Integer)
    # Where the movement happened: a land crossing, or an airport (recorded by a supervisor).
    point: Mapped[str] = mapped_column(String(8), default="land", server_default="land")


class GroupArrival(Base):
    __tablename__ = "group_arrival"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(Text)
    arrived_at: Mapped[datetime]
    # Counters kept beside the rows they count; GET compares them with the rows (reconciliation).
    registered: Mapped[int] = mapped_column(Integer, default=0)
    handed_over: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))


class GroupBatch(Base):
    """One registration call: up to 5,000 persons, all or nothing."""

    __tablename__ = "group_batch"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    group_arrival_id: Mapped[str] = mapped_column(ForeignKey("group_arrival.id"), index=True)
    registered: Mapped[int] = mapped_column(Integer)
    possible_matches: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(8))  # json | csv
    registered_at: Mapped[datetime]
    registered_by: Mapped[str] = mapped_column(String(100))


class GroupHandover(Base):
    __tablename__ = "group_handover"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    group_arrival_id: Mapped[str] = mapped_column(ForeignKey("group_arrival.id"), index=True)
    handed_to: Mapped[str] = mapped_column(String(200))
    handed_over_at: Mapped[datetime]
    persons: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class GroupPerson(Base):
    __tablename__ = "group_person"
    __table_args__ = (Index("ix_group_person_group_custody", "group_arrival_id", "custody"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    group_arrival_id: Mapped[str] = mapped_column(ForeignKey("group_arrival.id"))
    batch_id: Mapped[str] = mapped_column(ForeignKey("group_batch.id"))
    surname: Mapped[str] = mapped_column(String(100))
    given_names: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    nationality: Mapped[str | None] = mapped_column(String(3))
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rank: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(200))
    wounded: Mapped[bool] = mapped_column(Boolean, default=False)
    items_surrendered: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    screening_status: Mapped[str] = mapped_column(String(14))
    screening_matches: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    custody: Mapped[str] = mapped_column(String(12))
    custody_since: Mapped[datetime]
    handover_id: Mapped[str | None] = mapped_column(ForeignKey("group_handover.id"))
