"""Truck visits, their declarations and inspections; risk-profile versions; open inspection lanes.

Amounts are stored as integers so sums are exact on both engines: masses in grams, quantities and
values in thousandths (three decimals, the finest ISO 4217 minor unit).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from borderpost.db import Base
from borderpost.ids import new_id


class TruckVisit(Base):
    """One truck crossing once: arrival, the risk lane, inspections, release or detention."""

    __tablename__ = "truck_visit"
    __table_args__ = (
        UniqueConstraint("crossing_id", "declaration_number"),
        Index("ix_truck_visit_crossing_state", "crossing_id", "state"),
        Index("ix_truck_visit_crossing_arrived", "crossing_id", "arrived_at"),
        Index("ix_truck_visit_crossing_finished", "crossing_id", "service_finished_at"),
        Index("ix_truck_visit_crossing_trader", "crossing_id", "trader_key"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"))
    direction: Mapped[str] = mapped_column(String(10))
    plate: Mapped[str] = mapped_column(String(20))
    registration_country: Mapped[str] = mapped_column(String(3))
    trailer_plate: Mapped[str | None] = mapped_column(String(20))
    # The driver as read from the MRZ or the document, and the screening outcome.
    driver: Mapped[dict[str, Any]] = mapped_column(JSON)
    driver_screening: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The driver's movement through immigration: {id, decision, reasons} (NULL before it was
    # recorded); a refused driver holds the truck until a supervisor resolves the movement.
    driver_movement_id: Mapped[str | None] = mapped_column(String(32), index=True)
    driver_movement: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The declaration header (the items are DeclarationItem rows).
    declaration_number: Mapped[str] = mapped_column(String(40))
    regime: Mapped[str] = mapped_column(String(10))
    exporter: Mapped[str] = mapped_column(String(200))
    importer: Mapped[str] = mapped_column(String(200))
    trader_key: Mapped[str] = mapped_column(String(200))
    origin_country: Mapped[str] = mapped_column(String(3))
    destination_country: Mapped[str] = mapped_column(String(3))
    temperature_controlled: Mapped[bool] = mapped_column(Boolean, default=False)
    humanitarian: Mapped[bool] = mapped_column(Boolean, default=False)
    party_screening: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The risk decision and what is needed to reproduce it.
    lane: Mapped[str] = mapped_column(String(10))
    lane_reasons: Mapped[list[Any]] = mapped_column(JSON)
    suppressed_reasons: Mapped[list[Any]] = mapped_column(JSON)
    risk_profile_version: Mapped[int] = mapped_column(Integer)
    selection_seed: Mapped[str] = mapped_column(String(20))  # an unsigned 64-bit integer
    selection_draw: Mapped[float] = mapped_column(Float)
    # The facts from outside the declaration that went into the lane, as the engine saw them:
    # {"first_time_trader", "driver_watchlist_match", "party_watchlist_match": bool,
    #  "recent_lanes": {lane: count}} (the capacity state random selection was held to).
    # NULL on visits recorded before they were kept.
    risk_inputs: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    priority_class: Mapped[int] = mapped_column(Integer)
    # A self-declared humanitarian load is queued by its goods until a supervisor confirms it.
    humanitarian_confirmed_at: Mapped[datetime | None]
    humanitarian_confirmed_by: Mapped[str | None] = mapped_column(String(100))
    # The lifecycle.
    state: Mapped[str] = mapped_column(String(12))
    arrived_at: Mapped[datetime]
    service_started_at: Mapped[datetime | None]  # called from the queue to an inspection lane
    service_finished_at: Mapped[datetime | None]  # released or detained
    released_at: Mapped[datetime | None]
    detained_at: Mapped[datetime | None]
    post_clearance_audit: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(100))


class DeclarationItem(Base):
    __tablename__ = "declaration_item"
    __table_args__ = (UniqueConstraint("truck_visit_id", "line"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    truck_visit_id: Mapped[str] = mapped_column(ForeignKey("truck_visit.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    hs_code: Mapped[str] = mapped_column(String(6))
    hs_chapter: Mapped[str] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(String(500))
    quantity_thousandths: Mapped[int] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(10))
    gross_grams: Mapped[int] = mapped_column(BigInteger)
    value_thousandths: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class Inspection(Base):
    __tablename__ = "inspection"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    truck_visit_id: Mapped[str] = mapped_column(ForeignKey("truck_visit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    result: Mapped[str] = mapped_column(String(12))
    findings: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class RiskProfileVersion(Base):
    """Every version of the selectivity profile a supervisor has posted; the newest is active.
    While the table is empty the profile shipped in risk_profile.json is active as version 1."""

    __tablename__ = "risk_profile_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))


class InspectionLanes(Base):
    """How many inspection lanes (bays with a team) a crossing has open now."""

    __tablename__ = "inspection_lanes"

    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"), primary_key=True)
    open_lanes: Mapped[int] = mapped_column(Integer)
    since: Mapped[datetime]
    set_by: Mapped[str] = mapped_column(String(100))
