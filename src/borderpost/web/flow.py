"""Small helpers every domain's pages share: the crossing of the address, failed forms, times."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing
from borderpost.errors import DomainError
from borderpost.web.forms import Form, from_domain, from_validation
from borderpost.web.templating import gettext, is_htmx, render


def crossing_for(request: Request, db: Session, code: str) -> Crossing:
    """The crossing named in the address (a 404 page when there is none); its time zone is used."""
    crossing = crossings.get_crossing(db, code)
    request.state.timezone = crossing.timezone
    return crossing


def failed(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    name: str,
    form: Form,
    status: int = 422,
) -> HTMLResponse:
    """The page again with the form's values and errors; HTMX gets the form alone, in place."""
    context = dict(context)
    context["forms"] = {**context.get("forms", {}), name: form}
    block = f"{name}_form" if is_htmx(request) else None
    return render(request, template, context, status=status, block=block)


M = TypeVar("M", bound=BaseModel)


def validated(
    request: Request, schema: type[M], data: dict[str, Any], values: dict[str, Any]
) -> M | Form:
    """The schema's model, or the Form to re-display with the field errors."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        return from_validation(exc, values, gettext(request))


def refused(request: Request, exc: DomainError, values: dict[str, Any]) -> tuple[Form, int]:
    form = from_domain(exc, values, gettext(request))
    return form, (422 if exc.status == 422 else exc.status)


def local_datetime(text: str, timezone: str) -> datetime | str:
    """A `datetime-local` value read in the crossing's time zone; the text back if malformed."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return text
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value


def as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def field_errors(exc: Any, values: dict[str, Any], _: Any, name_of: Any) -> Form:
    """A Form from a pydantic error or a DomainError, each error's location named by `name_of`
    (a function of the dotted location, e.g. "declaration.items.0.hs_code" → "hs_code-0")."""
    from borderpost.web.forms import domain_message, error_text, field_message

    errors_: dict[str, str] = {}
    if isinstance(exc, ValidationError):
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            errors_.setdefault(name_of(loc) or "form", field_message(err, _))
        return Form(values=values, errors=errors_)
    for e in exc.errors:
        errors_.setdefault(name_of(e.field), error_text(e.field, e.message, _))
    return Form(values=values, errors=errors_, message=None if errors_ else domain_message(exc, _))
