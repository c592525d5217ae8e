"""Tariff rates, payments and guarantees, permits, and seizure cases.

Amounts are integers in thousandths (as in cargo): exact sums on both engines. Duty rates are kept
in thousandths of a per cent. A tariff row is never changed in place: an import ends the rows in
force (`valid_until`) and adds its own, so a declaration is assessed at the rate of its day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from borderpost.db import Base
from borderpost.ids import new_id


class TariffRate(Base):
    __tablename__ = "tariff_rate"
    __table_args__ = (Index("ix_tariff_rate_prefix_from", "hs_prefix", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hs_prefix: Mapped[str] = mapped_column(String(10))
    duty_thousandths: Mapped[int] = mapped_column(BigInteger)  # of a per cent: 15% is 15000
    description: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]  # exclusive; NULL while in force
    import_id: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[datetime]
    imported_by: Mapped[str] = mapped_column(String(100))


class Payment(Base):
    """A receipt (cash, bank, electronic) or a guarantee recorded against a truck visit.

    The receipt number is unique across the system: the same receipt presented twice (or by two
    officers at once) is refused by the constraint, whatever the timing."""

    __tablename__ = "payment"
    __table_args__ = (UniqueConstraint("receipt_number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    truck_visit_id: Mapped[str] = mapped_column(ForeignKey("truck_visit.id"), index=True)
    receipt_number: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(12))
    amount_thousandths: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # The amount in the assessment currency at the rate of the day it was paid.
    assessed_thousandths: Mapped[int] = mapped_column(BigInteger)
    guarantee_ref: Mapped[str | None] = mapped_column(String(60))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class GoodsPermit(Base):
    """A licence or permit presented for items of a declaration (all items when `item_indexes`
    is NULL). Named apart from the traveller domain's visa/residence permits."""

    __tablename__ = "goods_permit"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    truck_visit_id: Mapped[str] = mapped_column(ForeignKey("truck_visit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(60))
    issued_by: Mapped[str] = mapped_column(String(200))
    item_indexes: Mapped[list[int] | None] = mapped_column(JSON)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class SeizureCase(Base):
    """Opened by a seizure: what was seized, from whom, and to whom it was handed over."""

    __tablename__ = "seizure_case"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    truck_visit_id: Mapped[str] = mapped_column(ForeignKey("truck_visit.id"), unique=True)
    inspection_id: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(12))
    findings: Mapped[str] = mapped_column(Text)
    items: Mapped[list[Any]] = mapped_column(JSON)
    driver: Mapped[dict[str, Any]] = mapped_column(JSON)
    opened_at: Mapped[datetime]
    opened_by: Mapped[str] = mapped_column(String(100))
    handed_over_to: Mapped[str | None] = mapped_column(String(200))
    handover_note: Mapped[str | None] = mapped_column(Text)
    handed_over_at: Mapped[datetime | None]
    handed_over_by: Mapped[str | None] = mapped_column(String(100))


class CasePhoto(Base):
    __tablename__ = "case_photo"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("seizure_case.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class Amendment(Base):
    """A declaration corrected after a discrepancy: the items before and after, the duties
    recomputed, and the penalty on the duty the first declaration would have evaded."""

    __tablename__ = "declaration_amendment"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    truck_visit_id: Mapped[str] = mapped_column(ForeignKey("truck_visit.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    items_before: Mapped[list[Any]] = mapped_column(JSON)
    items_after: Mapped[list[Any]] = mapped_column(JSON)
    duties_before_thousandths: Mapped[int] = mapped_column(BigInteger)
    duties_after_thousandths: Mapped[int] = mapped_column(BigInteger)
    penalty_thousandths: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class PreArrival(Base):
    """A declaration lodged by the trader's agent before the truck arrives; the arrival picks it
    up by its number (then `truck_visit_id` is set, once)."""

    __tablename__ = "pre_arrival"
    __table_args__ = (UniqueConstraint("crossing_id", "number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossing.id"))
    number: Mapped[str] = mapped_column(String(40))
    declaration: Mapped[dict[str, Any]] = mapped_column(JSON)  # the DeclarationIn, as JSON
    lodged_at: Mapped[datetime]
    lodged_by: Mapped[str] = mapped_column(String(100))
    truck_visit_id: Mapped[str | None] = mapped_column(ForeignKey("truck_visit.id"), unique=True)
    arrived_at: Mapped[datetime | None]
