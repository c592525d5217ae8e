"""Pages of the cargo domain: the customs page (arrivals, the queue, inspections, release).

The arrival form is the API's TruckArrival with flat fields and repeated item rows
(`hs_code[]`, ...); a row can be added without a reload (HTMX), and each HS code field looks
the code up by digits or words as it is typed (`search_hs`), its description shown beside it.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.auth.permissions import Permission as P
from borderpost.cargo import service
from borderpost.cargo.hs import HsCodeError, lookup_subheading, search_hs
from borderpost.cargo.lanes import InspectionKind, InspectionResult
from borderpost.cargo.queue_service import queue_snapshot
from borderpost.cargo.records import get_truck, list_trucks
from borderpost.cargo.risk import Regime
from borderpost.cargo.schemas import Direction, InspectionCreate, TruckArrival, Unit
from borderpost.clearance import status as clearance_status
from borderpost.crossing.models import Crossing
from borderpost.errors import DomainError
from borderpost.transaction import settings_of
from borderpost.web.edge import PageReader, PageRoute, PageTx, page_reading, page_writing
from borderpost.web.edge import redirect_after_post as done
from borderpost.web.flow import crossing_for, failed, field_errors
from borderpost.web.i18n import isolate_in
from borderpost.web.templating import gettext, labeller, lang_of, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CARGO = "cargo/cargo.html"
ITEM_FIELDS = ("hs_code", "description", "quantity", "unit", "gross_kg", "value", "currency")
_ITEM_LOC = re.compile(r"^declaration\.items(?:\.|\[)(\d+)\]?\.(\w+)")


CLEARANCE_SHOWN = 20  # queued trucks whose clearance the page works out (those in service too)


def cargo_context(db: Session, crossing: Crossing) -> dict[str, Any]:
    queue = queue_snapshot(db, crossing=crossing)
    shown = [s.truck_id for s in queue.in_service] + [
        w.truck_id for w in queue.waiting[:CLEARANCE_SHOWN]
    ]
    return {
        "crossing": crossing,
        "section": "cargo",
        "queue": queue,
        "clearance": clearance_status.statuses(db, shown),
        "detained": clearance_status.detained(db, crossing),
        "recent": list_trucks(db, crossing=crossing, state=None, limit=10),
        "directions": [d.value for d in Direction],
        "regimes": [r.value for r in Regime],
        "units": [u.value for u in Unit],
        "inspection_kinds": [k.value for k in InspectionKind],
        "inspection_results": [r.value for r in InspectionResult],
        "rows": [_blank_row()],
        "actions": True,
    }


def _blank_row() -> dict[str, str]:
    return {"uid": secrets.token_hex(4), **{f: "" for f in ITEM_FIELDS}, "unit": "kg"}


@router.get("/crossings/{code}/cargo")
def cargo_page(request: Request, code: str, r: PageReader = Depends(page_reading(P.TRUCK_WRITE))):
    crossing = crossing_for(request, r.db, code)
    return render(request, CARGO, cargo_context(r.db, crossing))


@router.get("/crossings/{code}/cargo/item-row")
def item_row(request: Request, code: str, r: PageReader = Depends(page_reading(P.TRUCK_WRITE))):
    """One more empty item row for the declaration (HTMX appends it to the table)."""
    crossing = crossing_for(request, r.db, code)
    ctx = {"crossing": crossing, "row": _blank_row(), "i": None, "units": [u.value for u in Unit]}
    return render(request, "cargo/item_row.html", ctx)


@router.get("/crossings/{code}/cargo/hs")
def hs_lookup(
    request: Request,
    code: str,
    q: str = "",
    uid: str = "",
    r: PageReader = Depends(page_reading(P.TRUCK_WRITE)),
):
    """HS subheadings for what is typed in an item's code field: by digits or by words."""
    crossing = crossing_for(request, r.db, code)
    text = (q or request.query_params.get("hs_code[]", ""))[:100]
    found = None
    try:
        found = lookup_subheading(text) if text.strip() else None
    except HsCodeError:
        found = None
    matches = [] if found else search_hs(text, limit=12)
    uid = uid if re.fullmatch(r"[0-9a-f]{1,16}", uid) else "x"
    ctx = {"crossing": crossing, "found": found, "matches": matches, "text": text, "uid": uid}
    return render(request, "cargo/hs.html", ctx)


# --- arrival ----------------------------------------------------------------------------------


def _rows(form: dict[str, Any]) -> list[dict[str, str]]:
    lists = {f: form.get(f"{f}[]", []) for f in ITEM_FIELDS}
    lists = {f: v if isinstance(v, list) else [v] for f, v in lists.items()}
    count = max((len(v) for v in lists.values()), default=0)
    rows = []
    for n in range(count):
        row = {f: (lists[f][n] if n < len(lists[f]) else "").strip() for f in ITEM_FIELDS}
        rows.append({"uid": secrets.token_hex(4), **row})
    return rows


def _filled(row: dict[str, str]) -> bool:
    return any(row[f] for f in ITEM_FIELDS if f != "unit")


def arrival_data(f: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]], list[int]]:
    """The TruckArrival body from the form, its item rows, and each item's row number."""
    rows = _rows(f) or [_blank_row()]
    used = [n for n, row in enumerate(rows) if _filled(row)]
    items = [
        {k: (rows[n][k] or None) for k in ITEM_FIELDS} | {"description": rows[n]["description"]}
        for n in used
    ]
    for item in items:
        item["hs_code"] = item["hs_code"] or ""
    data = {
        "direction": f.get("direction") or None,
        "plate": f.get("plate") or None,
        "registration_country": f.get("registration_country") or None,
        "trailer_plate": f.get("trailer_plate") or None,
        "driver": {"mrz": _lines(f.get("driver_mrz", ""))},
        "declaration": {
            "number": f.get("number") or None,
            "regime": f.get("regime") or None,
            "exporter": f.get("exporter") or None,
            "importer": f.get("importer") or None,
            "origin_country": f.get("origin_country") or None,
            "destination_country": f.get("destination_country") or None,
            "items": items,
        },
    }
    return data, rows, used


def _lines(text: str) -> str:
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _arrival_field(used: list[int]):
    def name_of(loc: str) -> str:
        item = _ITEM_LOC.match(loc)
        if item:
            n = int(item.group(1))
            return f"{item.group(2)}-{used[n] if n < len(used) else 0}"
        if loc.startswith("driver"):
            return "driver_mrz"
        if loc.startswith("declaration.items"):
            return "items"
        if loc.startswith("declaration."):
            return loc.split(".")[1]
        return loc.split(".")[0] or "regime"

    return name_of


@router.post("/crossings/{code}/cargo/trucks")
def register_truck(request: Request, code: str, tx: PageTx = Depends(page_writing(P.TRUCK_WRITE))):
    crossing = crossing_for(request, tx.db, code)
    _ = gettext(request)
    f = tx.form
    data, rows, used = arrival_data(f)
    name_of = _arrival_field(used)
    status = 422
    try:
        body = TruckArrival.model_validate(data)
        truck = service.register_truck(
            tx.db,
            crossing=crossing,
            arrival=body,
            secret=settings_of(request).secret_key.encode(),
            actor=tx.actor,
        )
        tx.commit()
        message = _("Truck %(plate)s registered: lane %(lane)s.") % {
            "plate": isolate_in(lang_of(request), truck.plate),
            "lane": labeller(lang_of(request))("lane", truck.lane),
        }
        return done(request, f"/crossings/{crossing.code}/cargo", message)
    except ValidationError as exc:
        form = field_errors(exc, f, _, name_of)
    except DomainError as exc:
        tx.db.rollback()
        form = field_errors(exc, f, _, name_of)
        status = exc.status
    ctx = cargo_context(tx.db, crossing)
    ctx["rows"] = rows
    return failed(request, CARGO, ctx, name="arrival", form=form, status=status)


# --- the queue: call, inspect, release ---------------------------------------------------------


def _truck_here(db: Session, crossing: Crossing, truck_id: str):
    truck = get_truck(db, truck_id[:32])
    if truck.crossing_id != crossing.id:
        raise errors.not_found("truck visit", truck_id)
    return truck


def action_failed(request: Request, db: Session, crossing: Crossing, truck_id: str, form, status):
    ctx = cargo_context(db, crossing)
    ctx["forms"] = {f"truck-{truck_id}": form}
    return render(request, CARGO, ctx, status=status)


@router.post("/crossings/{code}/cargo/trucks/{truck_id}/call")
def call_truck(
    request: Request, code: str, truck_id: str, tx: PageTx = Depends(page_writing(P.TRUCK_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    truck = _truck_here(tx.db, crossing, truck_id)
    _ = gettext(request)
    try:
        service.call_truck(tx.db, truck_id=truck.id, actor=tx.actor)
        tx.commit()
        message = _("Truck %(plate)s called to inspection.") % {
            "plate": isolate_in(lang_of(request), truck.plate)
        }
        return done(request, f"/crossings/{crossing.code}/cargo", message)
    except DomainError as exc:
        tx.db.rollback()
        form = field_errors(exc, tx.form, _, lambda loc: loc)
        return action_failed(request, tx.db, crossing, truck_id, form, exc.status)


@router.post("/crossings/{code}/cargo/trucks/{truck_id}/inspections")
def record_inspection(
    request: Request, code: str, truck_id: str, tx: PageTx = Depends(page_writing(P.TRUCK_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    truck = _truck_here(tx.db, crossing, truck_id)
    _ = gettext(request)
    f = tx.form
    data = {
        "kind": f.get("kind") or None,
        "result": f.get("result") or None,
        "findings": f.get("findings") or None,
    }
    status = 422
    try:
        body = InspectionCreate.model_validate(data)
        service.record_inspection(
            tx.db,
            truck_id=truck.id,
            kind=body.kind,
            result=body.result,
            findings=body.findings,
            actor=tx.actor,
        )
        tx.commit()
        message = _("Inspection of %(plate)s recorded.") % {
            "plate": isolate_in(lang_of(request), truck.plate)
        }
        return done(request, f"/crossings/{crossing.code}/cargo", message)
    except ValidationError as exc:
        form = field_errors(exc, f, _, lambda loc: loc.split(".")[0] or "findings")
    except DomainError as exc:
        tx.db.rollback()
        form = field_errors(exc, f, _, lambda loc: loc.split(".")[0])
        status = exc.status
    return action_failed(request, tx.db, crossing, truck.id, form, status)


@router.post("/crossings/{code}/cargo/trucks/{truck_id}/release")
def release_truck(
    request: Request, code: str, truck_id: str, tx: PageTx = Depends(page_writing(P.TRUCK_WRITE))
):
    crossing = crossing_for(request, tx.db, code)
    truck = _truck_here(tx.db, crossing, truck_id)
    _ = gettext(request)
    try:
        service.release_truck(tx.db, truck_id=truck.id, actor=tx.actor)
        tx.commit()
        message = _("Truck %(plate)s released.") % {
            "plate": isolate_in(lang_of(request), truck.plate)
        }
        return done(request, f"/crossings/{crossing.code}/cargo", message)
    except DomainError as exc:
        tx.db.rollback()
        form = field_errors(exc, tx.form, _, lambda loc: loc)
        return action_failed(request, tx.db, crossing, truck.id, form, exc.status)
