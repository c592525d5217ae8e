"""Field types shared across domains: country codes, time zones, bounded texts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry
from pydantic import AfterValidator, StringConstraints


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

CountryCode = Annotated[str, AfterValidator(parse_country)]
TravelCountry = Annotated[str, AfterValidator(parse_travel_country)]
TimeZoneName = Annotated[str, AfterValidator(_timezone)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
