"""The tariff, exchange rates, fees and the permit table: data, read for a given day.

The shipped files in `data/` are the example the demo uses. `import_tariff` stores a tariff in
the database with the day it takes effect; rows are never changed in place but ended, so the
rate of any past day can be read back. While no tariff has been imported the shipped one is in
force; the first import stores the shipped rows too (ended on the new tariff's first day), so the
days before it keep their rates.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.clearance.models import TariffRate
from borderpost.clearance.rules import PermitHeading, Rate, TariffParse, parse_tariff_csv
from borderpost.db import utcnow
from borderpost.ids import new_id

SHIPPED_FROM = date(2016, 1, 18)  # the Tariff Law applied at every port (see data/tariff.csv)
THOUSAND = Decimal(1000)
_PG_TARIFF_LOCK = 7305202413


def _data(name: str) -> str:
    return resources.files("borderpost.clearance").joinpath("data", name).read_text("utf-8")


@cache
def shipped_tariff() -> tuple[Rate, ...]:
    parsed = parse_tariff_csv(_data("tariff.csv"))
    assert not parsed.rejected, parsed.rejected
    return tuple(parsed.rates)


@cache
def _exchange_rows() -> tuple[tuple[str, Decimal, date], ...]:
    body = "\n".join(line for line in _data("exchange_rates.csv").splitlines() if line[:1] != "#")
    return tuple(
        (row["currency"], Decimal(row["iqd_per_unit"]), date.fromisoformat(row["valid_from"]))
        for row in csv.DictReader(io.StringIO(body))
    )


def exchange_rates(day: date) -> dict[str, Decimal]:
    """IQD per unit of each currency on `day`: the latest rate that took effect by then."""
    rates: dict[str, tuple[date, Decimal]] = {}
    for currency, rate, since in _exchange_rows():
        if since <= day and (currency not in rates or rates[currency][0] < since):
            rates[currency] = (since, rate)
    return {c: r for c, (_, r) in rates.items()}


@dataclass(frozen=True, slots=True)
class Fees:
    by_regime: dict[str, Decimal]
    penalty_percent: Decimal
    penalty_minimum: Decimal


@cache
def fees() -> Fees:
    body = json.loads(_data("fees.json"))
    return Fees(
        by_regime={k: Decimal(v) for k, v in body["by_regime"].items()},
        penalty_percent=Decimal(body["amendment_penalty_percent_of_extra_duty"]),
        penalty_minimum=Decimal(body["amendment_penalty_minimum"]),
    )


@cache
def permit_headings() -> dict[str, PermitHeading]:
    body = json.loads(_data("permit_headings.json"))
    return {h["hs_prefix"]: PermitHeading(**h) for h in body["headings"]}


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in range(2, len(code) + 1)]


def rates_for(db: Session, codes: list[str], day: date) -> dict[str, Rate]:
    """The tariff rows in force on `day` whose prefix starts any of `codes` (the longest wins)."""
    if db.scalar(select(TariffRate.id).limit(1)) is None:
        return {r.hs_prefix: r for r in shipped_tariff()}
    wanted = sorted({p for code in codes for p in _prefixes(code)})
    if not wanted:
        return {}
    rows = db.scalars(
        select(TariffRate).where(
            TariffRate.hs_prefix.in_(wanted),
            TariffRate.valid_from <= day,
            or_(TariffRate.valid_until.is_(None), TariffRate.valid_until > day),
        )
    )
    return {
        r.hs_prefix: Rate(r.hs_prefix, Decimal(r.duty_thousandths) / THOUSAND, r.description)
        for r in rows
    }


def tariff_in_force(db: Session, day: date) -> list[Rate]:
    if db.scalar(select(TariffRate.id).limit(1)) is None:
        return list(shipped_tariff())
    rows = db.scalars(
        select(TariffRate)
        .where(
            TariffRate.valid_from <= day,
            or_(TariffRate.valid_until.is_(None), TariffRate.valid_until > day),
        )
        .order_by(TariffRate.hs_prefix)
    )
    return [Rate(r.hs_prefix, Decimal(r.duty_thousandths) / THOUSAND, r.description) for r in rows]


def import_tariff(
    db: Session,
    *,
    data: bytes,
    valid_from: date | None,
    actor: Actor,
    at: datetime | None = None,
) -> TariffParse:
    """Replace the tariff in force from `valid_from` (today by default). A file with any
    rejected row changes nothing: a tariff half imported would assess at the wrong rates."""
    at = at or utcnow()
    day = valid_from or at.date()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise errors.invalid("file", "is not UTF-8 text") from exc
    parsed = parse_tariff_csv(content)
    if parsed.rejected or not parsed.rates:
        if not parsed.rejected:
            parsed.rejected.append((1, "the file has no rates"))
        return parsed
    # Serialise imports (SQLite writers already hold the database): two at once would leave two
    # tariffs in force.
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_TARIFF_LOCK})
    latest = db.scalar(select(func.max(TariffRate.valid_from)))
    if latest is not None and day < latest:
        raise errors.invalid(
            "valid_from", f"is before the tariff in force from {latest.isoformat()}"
        )
    stored = [] if latest is not None else list(shipped_tariff())
    import_id = new_id()
    if stored:  # the shipped tariff, kept for the days before this one
        db.add_all(
            TariffRate(
                hs_prefix=r.hs_prefix,
                duty_thousandths=int(r.duty_percent * THOUSAND),
                description=r.description,
                valid_from=SHIPPED_FROM,
                valid_until=day,
                import_id="shipped",
                imported_at=at,
                imported_by=actor.label,
            )
            for r in stored
        )
    else:
        db.execute(
            update(TariffRate).where(TariffRate.valid_until.is_(None)).values(valid_until=day)
        )
    db.add_all(
        TariffRate(
            hs_prefix=r.hs_prefix,
            duty_thousandths=int(r.duty_percent * THOUSAND),
            description=r.description,
            valid_from=day,
            valid_until=None,
            import_id=import_id,
            imported_at=at,
            imported_by=actor.label,
        )
        for r in parsed.rates
    )
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="tariff.import",
        subject_type="tariff",
        subject_id=import_id,
        after={"valid_from": day.isoformat(), "rates": len(parsed.rates)},
    )
    return parsed
