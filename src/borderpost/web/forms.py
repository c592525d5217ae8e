"""Form state for re-display: submitted values, one message per field, a message for the form.

Pages validate with the same pydantic schemas as the API, so a rule is written once; the
messages are translated here from pydantic's error types (English stays as the detail).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from pydantic import ValidationError

from borderpost.errors import DomainError
from borderpost.web.i18n import isolate

Gettext = Callable[[str], str]


@dataclass
class Form:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None

    def value(self, name: str, default: Any = "") -> Any:
        return self.values.get(name, default)

    def values_of(self, name: str) -> list[str]:
        value = self.values.get(name, [])
        return value if isinstance(value, list) else [value]

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.message)


def field_message(err: Mapping[str, Any], _: Gettext) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    empty = err.get("input") is None and (kind.endswith("_type") or kind == "enum")
    if kind == "missing" or empty or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return _("This field is required.")
    if kind == "string_too_long":
        return _("Too long: at most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Too short: at least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind == "string_pattern_mismatch":
        return _("Not in the expected format.")
    if kind in ("int_parsing", "int_type", "float_parsing", "decimal_parsing"):
        return _("Enter a number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must be at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Must be at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind == "enum" or kind == "literal_error":
        return _("Choose one of the options.")
    if kind.startswith("datetime") or kind.startswith("date"):
        return _("Enter a valid date and time.")
    if kind == "too_short":
        return _("Choose at least one.")
    detail = str(err.get("msg", "")).removeprefix("Value error, ")
    return error_text("", detail, _)


def _english(_: Gettext) -> bool:
    return _("Invalid input.") == "Invalid input."


# The services' messages a form shows most, in words of the page (the API keeps the English).
KNOWN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^'(?P<code>\w*)' is not an ISO 3166-1 alpha-3( or ICAO)? country code$"),
     "not-country"),
    (re.compile(r"^is required to close or restrict traffic$"), "required-to-close"),
    (re.compile(r"^(?P<code>\d+): chapters 98 and 99 are reserved"), "hs-national"),
    (re.compile(r"^(?P<code>\d+): (HS chapters run from|no such subheading)"), "hs-unknown"),
    (re.compile(r"^'(?P<code>\w*)' is not an ISO 4217 currency code$"), "not-currency"),
    (re.compile(r"^is in the future$"), "future"),
    (re.compile(r"^valid_until is before valid_from$"), "until-before-from"),
]  # fmt: skip


def _known_texts(_: Gettext) -> dict[str, str]:
    return {
        "not-country": _("%(code)s is not a country code (ISO 3166-1 alpha-3)."),
        "required-to-close": _("Required to close or restrict traffic."),
        "hs-national": _("%(code)s: chapters 98 and 99 are for national use."),
        "hs-unknown": _("%(code)s is not an HS 2022 subheading."),
        "not-currency": _("%(code)s is not a currency code (ISO 4217)."),
        "future": _("Must not be in the future."),
        "until-before-from": _("The end of validity is before its start."),
    }


def _known(message: str, _: Gettext) -> str | None:
    for pattern, key in KNOWN:
        found = pattern.search(message)
        if found:
            code = isolate(found.groupdict().get("code") or "")
            return _known_texts(_)[key] % {"code": code}
    return None


def error_text(field: str, message: str, _: Gettext) -> str:
    """A field's error in words of the page: the MRZ reader's errors named as sentences, the
    common messages translated; any other keeps the service's English detail, marked as English
    on an Arabic page (never passed off as Arabic)."""
    from borderpost.web.labels import mrz_problem

    parts = field.split(".") if field else []
    if parts and (parts[0] == "mrz" or any("mrz" in p for p in parts[:-1])):  # the MRZ reader
        return mrz_problem(field, _)
    known = None if _english(_) else _known(message, _)  # English: the service's own words
    if known is not None:
        return known
    return english_detail(message, _)


def english_detail(message: str, _: Gettext) -> str:
    """ "Invalid value: <the service's English detail>", the detail marked as English."""
    if _english(_):
        return _("Invalid value: %(detail)s") % {"detail": message}
    detail = Markup('<span lang="en" dir="ltr">%s</span>') % message
    return Markup.escape(_("Invalid value: %(detail)s")) % {"detail": detail}


def from_validation(
    exc: ValidationError, values: dict[str, Any], _: Gettext, *, rename: Mapping[str, str] = {}
) -> Form:
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if not isinstance(p, int)]
        name = loc[0] if loc else "form"
        name = rename.get(name, name)
        errors.setdefault(name, field_message(err, _))
    return Form(values=values, errors=errors)


def domain_message(exc: DomainError, _: Gettext) -> str:
    titles = {
        "no-change": _("Nothing to change: the traffic is already in that state."),
        "assessment-required": _(
            "Traffic closed for security reopens only on a joint assessment concluded by both "
            "states."
        ),
        "crossing-closed": _("The crossing is closed to this traffic."),
        "category-not-allowed": _("Restricted: this category or nationality may not pass now."),
        "already-signed": _("That state has already signed this assessment."),
        "assessment-closed": _("The assessment is no longer open for signatures."),
        "wrong-country": _("You may not sign for that state."),
        "not-found": _("Not found."),
        "forbidden": _("Not allowed."),
        "inspection-required": _("An inspection is required before release."),
        "invalid-input": _("Invalid input."),
        "out-of-scope": _("This is outside your scope."),
        "last-admin": _("The last active administrator cannot be disabled."),
        "username-taken": _("That username is taken."),
    }
    title = titles.get(exc.slug, _("The request was refused."))
    if _english(_):
        return f"{title} ({exc.detail})"
    # The service's detail is English: shown as such, beside the title in the page's language.
    return Markup('%s <small lang="en" dir="ltr">(%s)</small>') % (title, exc.detail)


def from_domain(exc: DomainError, values: dict[str, Any], _: Gettext) -> Form:
    errors = {e.field: error_text(e.field, e.message, _) for e in exc.errors}
    return Form(values=values, errors=errors, message=None if errors else domain_message(exc, _))
