"""Field types shared across domains: country codes, time zones, bounded texts."""

from __future__ import annotations

from datetime import UTC, datetime
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


def parse_country(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 3 or pycountry.countries.get(alpha_3=code) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 country code")
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

# The pattern goes into the OpenAPI schema; the validator checks the code exists.
CountryCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    Field(examples=["IRQ"]),
    AfterValidator(parse_country),
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
        for item in value.values():
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
