"""Transit movements: a truck that only crosses the country, under seal and guarantee."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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


class Transfer(Base):
    """Goods moved in the transfer zone from one truck to another (at Al-Qaim, Syrian trucks
    unload onto Iraqi ones inside the designated zone). The receiving truck gets a visit of its
    own with the goods moved; the lines say how many kg of which source line went across."""

    __tablename__ = "transfer"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    from_truck_visit_id: Mapped[str] = mapped_column(ForeignKey("truck_visit.id"), index=True)
    to_truck_visit_id: Mapped[str] = mapped_column(ForeignKey("truck_visit.id"), unique=True)
    # [{"item_index": source line, "gross_kg": "12000.5", "to_item_index": receiving line}]
    lines: Mapped[list[Any]] = mapped_column(JSON)
    seals_removed: Mapped[list[str]] = mapped_column(JSON)
    seals_applied: Mapped[list[str]] = mapped_column(JSON)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))
