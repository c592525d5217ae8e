"""Languages of the pages: English and Arabic (right to left), labels from Babel catalogues.

The Arabic catalogue is a plain `.po` file compiled in memory when first used, so a fresh clone
needs no build step; English is the source language. Dates and numbers are formatted by Babel
for the page's language, times in the crossing's own time zone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"
LANG_COOKIE = "bp_lang"


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    locale: str
    direction: str
    name: str  # in its own script, for the switcher


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en_GB", "ltr", "English"),
    "ar": Language("ar", "ar_IQ", "rtl", "العربية"),
}


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(code: str) -> NullTranslations:
    path = po_path(code)
    if code == DEFAULT or not path.exists():
        return NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f, locale=LANGUAGES[code].locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def pick(query: str | None, cookie: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    return DEFAULT


class Formatter:
    """Dates and numbers for one language, times shown in one time zone."""

    def __init__(self, code: str, timezone: str = "UTC") -> None:
        self.language = LANGUAGES[code]
        self.locale = Locale.parse(self.language.locale)
        self.timezone = timezone

    def datetime(self, value: datetime | None, timezone: str | None = None) -> str:
        if value is None:
            return ""
        try:
            local = value.astimezone(_zone(timezone or self.timezone))
        except OverflowError:  # a time at the edge of the calendar (year 1 or 9999): as stored
            local = value
        # The language's own way of joining a date and a time ("{1}, {0}"; Arabic uses "،").
        pattern = str(self.locale.datetime_formats["medium"])
        return pattern.replace("{1}", format_date(local, "d MMM y", locale=self.locale)).replace(
            "{0}", format_time(local, "HH:mm", locale=self.locale)
        )

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return ""
        return format_date(value, "d MMM y", locale=self.locale)

    def day(self, value: date) -> str:
        """Short day label for chart axes."""
        return format_date(value, "d MMM", locale=self.locale)

    def number(self, value: float | int | None) -> str:
        if value is None:
            return "–"
        return format_decimal(value, locale=self.locale)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
