"""Transit movements: a truck that only crosses the country, under seal and guarantee."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from borderpost.db import Base
from borderpost.ids import new_id


class TransitMovement(Base):
    """Opened at the office of departure (this crossing) with the seals applied and the
    guarantee's reference; discharged at the office of destination by the time limit."""

    __tablename__ = "transit_movement"
    __table_args__ = (
        Index("ix_transit_movement_crossing_state_due", "crossing_id", "state", "due_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    truck_visit_id: Mapped[str] = mapped_column(ForeignKey("truck_visit.id"), unique=True)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"))
    seals: Mapped[list[str]] = mapped_column(JSON)
    guarantee_ref: Mapped[str] = mapped_column(String(60))
    office_of_destination: Mapped[str] = mapped_column(String(60))
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime]
    opened_by: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(30))
    discharged_at: Mapped[datetime | None]
    discharged_by: Mapped[str | None] = mapped_column(String(100))
    seals_found: Mapped[list[str] | None] = mapped_column(JSON)
    discharge_note: Mapped[str | None] = mapped_column(Text)
