"""Field types shared across domains: country codes, time zones, bounded texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from borderpost import errors


def parse_country(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 3 or pycountry.countries.get(alpha_3=code) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 country code")
    return code


def parse_travel_country(code: str) -> str:
    """A country as travel documents write it: ISO 3166-1 alpha-3 or an ICAO Doc 9303 code."""
    from borderpost.traveller.countries import is_known_country, is_specimen_country

    code = code.strip().upper()
    if is_specimen_country(code):
        raise ValueError(f"{code!r} is the ICAO specimen state, not a real one")
    if not is_known_country(code):
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 or ICAO country code")
    return code


def _timezone(name: str) -> str:
    if name not in _ZONES:
        raise ValueError(f"{name!r} is not an IANA time zone")
    try:
        ZoneInfo(name)
    except ZoneInfoNotFoundError as exc:  # pragma: no cover - tzdata missing on the host
        raise ValueError(f"{name!r} is not an IANA time zone") from exc
    return name


def require_timezone(value: datetime) -> datetime:
    """Times cross borders and time zones: a time without its offset is ambiguous."""
    if value.tzinfo is None:
        raise ValueError("needs a time zone offset (use Z for UTC)")
    return value.astimezone(UTC)


_ZONES = available_timezones()

# --- bounded dates and times ----------------------------------------------------------------
# A date far outside the life of the system is a typo or an attack (9999-12-31 overflowed the
# dashboard's day arithmetic into a 500). Records start in 2000: no border post kept digital
# records before that. Events (an arrival, an incident, a handover) have happened: at most a day
# ahead of the server's clock, for a device whose clock runs fast. Report days may run a year
# ahead (a period "this year" ends in the future) but no further.
EARLIEST_DAY = date(2000, 1, 1)
EVENT_LEAD = timedelta(days=1)
REPORT_LEAD = timedelta(days=366)


def check_event_time(value: datetime, *, now: datetime | None = None) -> datetime:
    """An aware time of something that happened: from 2000 to a day ahead of now, in UTC."""
    value = require_timezone(value)
    now = now or datetime.now(UTC)
    if value.date() < EARLIEST_DAY:
        raise ValueError(f"is before {EARLIEST_DAY.isoformat()}")
    if value > now + EVENT_LEAD:
        raise ValueError("is in the future")
    return value


def check_report_day(value: date, *, today: date | None = None) -> date:
    """A day of a report period or a dashboard: from 2000 to a year ahead."""
    today = today or datetime.now(UTC).date()
    if value < EARLIEST_DAY:
        raise ValueError(f"is before {EARLIEST_DAY.isoformat()}")
    if value > today + REPORT_LEAD:
        raise ValueError(f"is more than {REPORT_LEAD.days} days ahead")
    return value


def report_day(field_name: str, value: date | None) -> date | None:
    """check_report_day for a query parameter: a 422 naming the field."""
    if value is None:
        return None
    try:
        return check_report_day(value)
    except ValueError as exc:
        raise errors.invalid(field_name, str(exc)) from None


# Aware, in UTC, between 2000 and a day from now (arrivals, handovers, incidents).
EventTime = Annotated[datetime, AfterValidator(check_event_time)]
# A day of a report or a dashboard, between 2000 and a year from now.
ReportDay = Annotated[date, AfterValidator(check_report_day)]

# The patterns go into the OpenAPI schema; the validators check the code exists.
CountryCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    Field(examples=["IRQ"]),
    AfterValidator(parse_country),
]
# ICAO writes Germany as the one-letter "D" (MRZ "D<<").
TravelCountry = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{1,3}$"),
    Field(examples=["SYR"]),
    AfterValidator(parse_travel_country),
]
TimeZoneName = Annotated[str, AfterValidator(_timezone)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


def _refuse_nul(value: object) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("contains a NUL character")
    elif isinstance(value, list | tuple | set):
        for item in value:
            _refuse_nul(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)


class Input(BaseModel):
    """Base of every request body: unknown fields are refused, and so are NUL characters
    (PostgreSQL cannot store them, and no real name, reason or code contains one)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        _refuse_nul(value)
        return value
