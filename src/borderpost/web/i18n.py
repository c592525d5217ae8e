"""Languages of the pages: English and Arabic (right to left), labels from Babel catalogues.

The Arabic catalogue is a plain `.po` file compiled in memory when first used, so a fresh clone
needs no build step; English is the source language. Dates and numbers are formatted by Babel
for the page's language, times in the crossing's own time zone.
"""

from __future__ import annotations

import io
import re
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
from markupsafe import Markup, escape

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

    def date(self, value: date | datetime | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):  # an ISO date kept as text (the rules' files)
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return value
        return format_date(value, "d MMM y", locale=self.locale)

    def day(self, value: date) -> str:
        """Short day label for chart axes."""
        return format_date(value, "d MMM", locale=self.locale)

    def number(self, value: float | int | None) -> str:
        if value is None:
            return "–"
        return format_decimal(value, locale=self.locale)

    @property
    def sep(self) -> str:
        return SEPARATORS[self.language.code]

    def list(self, items) -> str:
        """Items joined with the language's separator: "، " in Arabic, ", " in English."""
        return SEPARATORS[self.language.code].join(str(i) for i in items)

    def country(self, code: str | None) -> str:
        """A country's name in the language, from its alpha-3 code (the code when unknown)."""
        if not code:
            return ""
        return country_names(self.language.code).get(code.upper(), code)


SEPARATORS = {"en": ", ", "ar": "، "}
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate: data inside a translated sentence


def isolate(value: object) -> str:
    """Data (a plate, a name, a code) put into a sentence, isolated from the text around it so
    right-to-left punctuation stays put: the plain-text form of `<bdi>`."""
    return f"{FSI}{value}{PDI}"


def isolate_in(lang: str, value: object) -> str:
    """Data isolated in a right-to-left language's sentence; as it is in a left-to-right one."""
    return isolate(value) if LANGUAGES[lang].direction == "rtl" else str(value)


def text_lang(value: object) -> str:
    """The language of a free text typed by someone: Arabic when it has Arabic letters, English
    when it has only Latin ones, "" (unknown) otherwise. Shown with it, never translated."""
    text = str(value or "")
    if _ARABIC.search(text):
        return "ar"
    return "en" if _LATIN.search(text) else ""


def bdi(value: object) -> Markup:
    """A name or code in its own isolated run."""
    return Markup("<bdi>%s</bdi>") % (value if value is not None else "")


def free_text(value: object) -> Markup:
    """A free text as written (a reason, a description, a note): isolated, direction from its own
    first letters, and marked with its language when it is not Arabic."""
    lang = text_lang(value)
    attr = Markup(' lang="%s"') % lang if lang and lang != "ar" else Markup("")
    return Markup('<bdi dir="auto"%s>%s</bdi>') % (attr, escape(value if value is not None else ""))


@cache
def country_names(code: str) -> dict[str, str]:
    """Alpha-3 codes to the country names of Babel's locale data (CLDR)."""
    import pycountry

    territories = Locale.parse(LANGUAGES[code].locale).territories
    return {c.alpha_3: territories.get(c.alpha_2, c.name) for c in pycountry.countries}


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
