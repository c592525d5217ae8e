"""The auditor's pages: the audit log's records with filters and paging, the chain's verification
said plainly, and the access log (who read which person's data). Read-only.

The audit log is for the roles the API lets read it (`audit:read`: the auditor and the
administrator); the access log only for `access-log:read` (the auditor). Times are shown in UTC:
the records span every crossing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from borderpost.audit import access, service
from borderpost.audit.service import Verification
from borderpost.auth.permissions import Permission as P
from borderpost.crossing import service as crossings
from borderpost.errors import DomainError
from borderpost.transaction import settings_of
from borderpost.web import i18n
from borderpost.web.edge import PageReader, PageRoute, page_reading
from borderpost.web.forms import Form, Gettext
from borderpost.web.templating import gettext, is_htmx, lang_of, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
RECORDS = "audit/records.html"
ACCESS = "audit/access.html"
PAGE_SIZE = 50
FIRST_YEAR, LAST_YEAR = 2000, 2200

# field -> longest value accepted (the columns' widths)
RECORD_FILTERS = {
    "since": 10,
    "until": 10,
    "actor": 64,
    "action": 100,
    "subject_type": 50,
    "subject_id": 64,
    "crossing": 20,
}
ACCESS_FILTERS = {
    "since": 10,
    "until": 10,
    "username": 64,
    "subject_type": 20,
    "subject_id": 32,
    "crossing": 20,
}


def subject_names(_: Gettext) -> dict[str, str]:
    """The access log's kinds of personal record, in the page's language."""
    return {
        "traveller": _("Traveller"),
        "movement": _("Movement"),
        "truck": _("Truck (its driver)"),
        "group_person": _("Person of a group arrival"),
    }


def read_filters(
    request: Request, db: Session, fields: dict[str, int]
) -> tuple[dict[str, Any], Form]:
    """The filters of the address, checked: the service's arguments and the form to show again
    (with an error under each field that is not usable; then nothing is listed)."""
    _ = gettext(request)
    params = request.query_params
    values = {name: params.get(name, "").strip() for name in fields}
    form = Form(values=values)
    found: dict[str, Any] = {}
    for name, longest in fields.items():
        text = values[name]
        if not text:
            continue
        if len(text) > longest:
            form.errors[name] = _("Too long: at most %(n)s characters.") % {"n": longest}
        elif name in ("since", "until"):
            try:
                day = date.fromisoformat(text)
            except ValueError:
                day = None
            if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
                form.errors[name] = _("Enter a valid date (YYYY-MM-DD) from %(first)s on.") % {
                    "first": f"{FIRST_YEAR}-01-01"
                }
            else:  # the whole day, in UTC: `until` is the first moment after it
                start = datetime.combine(day, time(), tzinfo=UTC)
                found[name] = start + timedelta(days=1) if name == "until" else start
        elif name == "crossing":
            try:
                crossing = crossings.get_crossing(db, text.upper())
            except DomainError:
                form.errors[name] = _("There is no crossing with this code.")
            else:
                found[name] = (crossing.id, crossing.code)
        else:
            found[name] = text
    if "since" in found and "until" in found and found["until"] <= found["since"]:
        form.errors["until"] = _("The last day is before the first.")
    cursor = params.get("cursor", "")
    if cursor:
        if re.fullmatch(r"[0-9]{1,19}", cursor) and 0 < int(cursor) < 2**63:
            found["before_id"] = int(cursor)
        else:
            form.message = _("Invalid request")
    return found, form


def _next_cursor(rows: list[Any]) -> str | None:
    """The cursor of the next (older) page: `rows` holds one more than a page when there is one."""
    return str(rows[PAGE_SIZE - 1].id) if len(rows) > PAGE_SIZE else None


def verdict(result: Verification, _: Gettext, number: Callable[[int], str]) -> str:
    """The verification's outcome in one sentence of the page's language."""
    if result.ok:
        text = _("The audit log is intact: %(n)s records checked, each linked to the one before.")
        return text % {"n": number(result.records)}
    cut = result.checkpoint.records if result.checkpoint else 0
    return {
        "missing": _("A record before record %(id)s is missing: it was deleted."),
        "link": _("Record %(id)s is not linked to the record before it."),
        "content": _("Record %(id)s was changed: its content does not match its hash."),
        "rewritten": _("The log was rewritten: record %(id)s differs from the signed checkpoint."),
        "unreadable": _("Record %(id)s cannot be read: a value in it is malformed."),
        "head": _("The log was cut short: the head recorded earlier is no longer in it."),
        "cut-short": _(
            "The log was cut short: it has %(records)s records, the signed checkpoint covers "
            "%(cut)s."
        ),
        "checkpoint-file": _("The signed checkpoints cannot be read or trusted."),
    }.get(result.kind or "", _("The audit log is not intact.")) % {
        "id": result.first_bad_id,
        "records": number(result.records),
        "cut": number(cut),
    }


def as_json(value: Any) -> str:
    """A record's before or after, readable: its own script kept, keys sorted."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


def records_context(request: Request, db: Session) -> tuple[dict[str, Any], int]:
    found, form = read_filters(request, db, RECORD_FILTERS)
    actions, types = service.kinds(db)
    ctx: dict[str, Any] = {
        "section": "audit",
        "tab": "records",
        "forms": {"filters": form},
        # the select's (value, shown) pairs: codes, shown as they are written in the log
        "action_options": [(a, a) for a in actions],
        "type_options": [(t, t) for t in types],
        "records": [],
        "next_cursor": None,
        "verification": None,
        "as_json": as_json,
    }
    if form.failed:
        return ctx, 422
    rows = service.list_records(db, limit=PAGE_SIZE + 1, **found)
    ctx |= {"records": rows[:PAGE_SIZE], "next_cursor": _next_cursor(rows)}
    return ctx, 200


@router.get("/audit")
def audit_page(request: Request, r: PageReader = Depends(page_reading(P.AUDIT_READ))):
    ctx, status = records_context(request, r.db)
    return render(request, RECORDS, ctx, status=status)


@router.get("/audit/verify")
def verify_page(request: Request, r: PageReader = Depends(page_reading(P.AUDIT_READ))):
    """Recompute the chain (against the last signed checkpoint when they are set up): the result
    alone for HTMX, in place of the button; without scripts, the records page with it on top."""
    settings = settings_of(request)
    result = service.verify_configured(
        r.db, checkpoint_file=settings.audit_checkpoint_file, key_file=settings.audit_key_file
    )
    checkpoint = result.checkpoint
    verification = {
        "result": result,
        "text": verdict(result, gettext(request), i18n.Formatter(lang_of(request)).number),
        "at": datetime.now(UTC),
        "checkpoint_at": datetime.fromisoformat(checkpoint.at) if checkpoint else None,
    }
    if is_htmx(request):
        return render(request, RECORDS, {"verification": verification}, block="verification")
    ctx, status = records_context(request, r.db)
    ctx["verification"] = verification
    return render(request, RECORDS, ctx, status=status)


@router.get("/audit/access")
def access_page(request: Request, r: PageReader = Depends(page_reading(P.ACCESS_LOG_READ))):
    found, form = read_filters(request, r.db, ACCESS_FILTERS)
    _ = gettext(request)
    names = subject_names(_)
    if found.get("subject_type") and found["subject_type"] not in names:
        form.errors["subject_type"] = _("Choose one of the options.")
    ctx: dict[str, Any] = {
        "section": "audit",
        "tab": "access",
        "forms": {"filters": form},
        "subject_names": names,
        "records": [],
        "next_cursor": None,
        "codes": {c.id: c.code for c in crossings.list_crossings(r.db)},
    }
    if form.failed:
        return render(request, ACCESS, ctx, status=422)
    crossing = found.pop("crossing", None)
    rows = access.list_records(
        r.db, limit=PAGE_SIZE + 1, crossing_id=crossing[0] if crossing else None, **found
    )
    ctx |= {"records": rows[:PAGE_SIZE], "next_cursor": _next_cursor(rows)}
    return render(request, ACCESS, ctx)
