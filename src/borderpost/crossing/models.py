"""Crossings, their status per traffic class, joint assessments, statements and incidents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from borderpost.db import Base, utcnow
from borderpost.ids import new_id


class Crossing(Base):
    __tablename__ = "crossing"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(3))
    neighbour_country: Mapped[str] = mapped_column(String(3))
    counterpart_name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Loaded with the crossing by crossings.get_crossing; elsewhere on first access.
    statuses: Mapped[list[TrafficStatus]] = relationship(viewonly=True)


class TrafficStatus(Base):
    """The current state of one traffic class in one direction at one crossing (the history is
    StatusChange). A restricted direction lists what may pass (an empty list: no limit)."""

    __tablename__ = "traffic_status"

    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"), primary_key=True)
    traffic: Mapped[str] = mapped_column(String(12), primary_key=True)
    direction: Mapped[str] = mapped_column(String(5), primary_key=True)
    state: Mapped[str] = mapped_column(String(12))
    since: Mapped[datetime]
    reason_category: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    change_id: Mapped[str | None] = mapped_column(String(32))
    allowed_categories: Mapped[list[str] | None] = mapped_column(JSON)
    allowed_nationalities: Mapped[list[str] | None] = mapped_column(JSON)


class StatusChange(Base):
    __tablename__ = "status_change"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"), index=True)
    traffic: Mapped[list[str]] = mapped_column(JSON)
    directions: Mapped[list[str]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12))
    # v1's shape, {traffic: state} of the most open direction changed; then per direction.
    previous: Mapped[dict[str, str]] = mapped_column(JSON)
    previous_directions: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON)
    allowed: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    reason_category: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    assessment_id: Mapped[str | None] = mapped_column(ForeignKey("assessment.id"))
    changed_at: Mapped[datetime]
    changed_by: Mapped[str] = mapped_column(String(100))


class Assessment(Base):
    __tablename__ = "assessment"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(String(20))
    traffic: Mapped[list[str]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))
    concluded_at: Mapped[datetime | None]


class Signature(Base):
    __tablename__ = "assessment_signature"
    __table_args__ = (UniqueConstraint("assessment_id", "country"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id"), index=True)
    country: Mapped[str] = mapped_column(String(3))
    official_name: Mapped[str] = mapped_column(String(200))
    official_role: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[datetime]
    signed_by: Mapped[str] = mapped_column(String(100))


class Statement(Base):
    __tablename__ = "statement"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"), index=True)
    text_en: Mapped[str] = mapped_column(Text)
    text_ar: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime]
    published_by: Mapped[str] = mapped_column(String(100))


class Incident(Base):
    __tablename__ = "incident"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"), index=True)
    kind: Mapped[str] = mapped_column(String(100))
    severity: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime]
    description: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(100))
