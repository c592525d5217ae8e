"""Admission use cases: the assessment the booth asks for, permits and document alerts.

`assess_movement` is the traveller domain's one call: it reads the state's rules, the permits of
the document (locked FOR UPDATE on entry, so two booths cannot both use one single-entry visa),
its alerts, with the exit-ban lists the person matched (screening), and returns the findings
(rules.assess).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Update, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.admission import rules
from borderpost.admission.country_rules import rules_for
from borderpost.admission.models import DocumentAlert, Permit
from borderpost.admission.rules import AdmissionFacts, AlertFacts, Assessment, PermitFacts
from borderpost.admission.schemas import AlertCreate, PermitCreate
from borderpost.audit import service as audit
from borderpost.auth import scope
from borderpost.auth.service import Actor
from borderpost.db import utcnow
from borderpost.plain_sql import PlainStatement

MAX_ROWS = 100_000


def assess_movement(
    db: Session,
    *,
    state: str,
    direction: str,
    on: date,
    document_number: str,
    issuing_state: str,
    nationality: str,
    expiry_date: date,
    truck_driver: bool,
    exit_ban_lists: tuple[str, ...],
    stay_until: date | None,
) -> Assessment:
    """The findings of the state's law on one movement (see rules.assess).

    Core statements built once (the booth's hot path): the document's alerts always, its permits
    only on an entry that may need one (not a citizen's, nor a visa-exempt national's: the rules
    never read them there), locked FOR UPDATE so two booths cannot both use one single-entry
    visa."""
    state_rules = rules_for(state)
    conn = db.connection()
    key = {"state": issuing_state, "number": document_number}
    permits: tuple[PermitFacts, ...] = ()
    if (
        direction == "entry"
        and not state_rules.is_citizen(nationality)
        and state_rules.exempt_stay_days(nationality) is None
    ):
        permits = tuple(_permit_facts(p) for p in conn.execute(_PERMITS_FOR_ENTRY, key))
    alerts = tuple(
        AlertFacts(rules.AlertKind(kind), source, note)
        for kind, source, note in _ALERTS.rows(db, key)
    )
    facts = AdmissionFacts(
        direction=direction,
        on=on,
        nationality=nationality,
        expiry_date=expiry_date,
        truck_driver=truck_driver,
        permits=permits,
        alerts=alerts,
        exit_ban_lists=exit_ban_lists,
        stay_until=stay_until,
    )
    return rules.assess(state_rules, facts)


_PERMIT = Permit.__table__
_ALERT = DocumentAlert.__table__
_PERMITS_FOR_ENTRY = (
    select(_PERMIT)
    .where(
        _PERMIT.c.holder_issuing_state == bindparam("state"),
        _PERMIT.c.holder_document_number == bindparam("number"),
    )
    .order_by(_PERMIT.c.valid_from, _PERMIT.c.id)
    .with_for_update()
)
_ALERTS = PlainStatement(  # every movement reads them: a plain statement (plain_sql.py)
    select(_ALERT.c.kind, _ALERT.c.source, _ALERT.c.note)
    .where(
        _ALERT.c.issuing_state == bindparam("state"),
        _ALERT.c.document_number == bindparam("number"),
    )
    .order_by(_ALERT.c.created_at, _ALERT.c.id)
)


def permit_use(permit_id: Any, movement_id: Any, at: Any) -> Update:
    """The UPDATE that records an entry's use of a permit: a single-entry permit is used up by
    the first entry that uses it. The values are SQL expressions (bind parameters), so the
    traveller domain can send it in one statement with the movement it records."""
    return (
        update(_PERMIT)
        .where(
            _PERMIT.c.id == permit_id,
            _PERMIT.c.entries == rules.Entries.SINGLE.value,
            _PERMIT.c.used_by_movement_id.is_(None),
        )
        .values(used_by_movement_id=movement_id, used_at=at)
    )


_USE_PERMIT = permit_use(bindparam("permit_id"), bindparam("movement_id"), bindparam("at"))


def _permit_facts(p: Any) -> PermitFacts:
    """From a permit row or object (the columns by name)."""
    return PermitFacts(
        id=p.id,
        kind=rules.PermitKind(p.kind),
        number=p.number,
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        stay_days=p.stay_days,
        entries=rules.Entries(p.entries),
        used=p.used_by_movement_id is not None,
        cancelled=p.cancelled_at is not None,
    )


def use_permit(db: Session, *, permit_id: str, movement_id: str, at: datetime) -> None:
    """Record the entry that used a permit; a single-entry permit is then used up. The caller
    holds the row's lock (assess_movement read it FOR UPDATE). One UPDATE, no object loaded; a
    Permit this session holds already is refreshed on its next load."""
    db.connection().execute(
        _USE_PERMIT, {"permit_id": permit_id, "movement_id": movement_id, "at": at}
    )
    forget_permit(db, permit_id)


def forget_permit(db: Session, permit_id: str) -> None:
    """After an UPDATE of the permit's row: a Permit this session holds is reloaded on next use."""
    held = db.identity_map.get(db.identity_key(Permit, permit_id))
    if held is not None:
        db.expire(held)


def permit_status(permit: Permit, on: date | None = None) -> rules.PermitStatus:
    return rules.permit_status(_permit_facts(permit), on or utcnow().date())


# --- permits ----------------------------------------------------------------------------------


def _new_permit(body: PermitCreate, actor: Actor, at: datetime) -> Permit:
    h = body.holder
    return Permit(
        kind=body.kind.value,
        number=body.number,
        issuing_state=body.issuing_state,
        holder_document_number=h.document_number,
        holder_issuing_state=h.issuing_state,
        holder_nationality=h.nationality,
        surname=h.surname,
        given_names=h.given_names,
        birth_date=h.birth_date,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        stay_days=body.stay_days,
        entries=body.entries.value,
        created_at=at,
        created_by=actor.label,
    )


def _permit_audit(db: Session, permit: Permit, actor: Actor, action: str) -> None:
    audit.record(
        db,
        actor=actor.label,
        action=action,
        subject_type="permit",
        subject_id=permit.id,
        after={
            "kind": permit.kind,
            "number": permit.number,
            "issuing_state": permit.issuing_state,
            "document": f"{permit.holder_issuing_state} {permit.holder_document_number}",
            "valid_from": permit.valid_from,
            "valid_until": permit.valid_until,
            "entries": permit.entries,
        },
    )


def create_permit(db: Session, *, body: PermitCreate, actor: Actor) -> Permit:
    # A state records its own visas and residence permits: an officer of another is out of scope.
    scope.require_country(actor, body.issuing_state)
    permit = _new_permit(body, actor, utcnow())
    exists = f"{body.kind.value} {body.number} of {body.issuing_state} is recorded already."
    try:
        with db.begin_nested():  # the same permit recorded at the same moment elsewhere
            db.add(permit)
            db.flush()
    except IntegrityError as exc:
        raise errors.conflict("permit-exists", exists) from exc
    _permit_audit(db, permit, actor, "permit.create")
    return permit


@dataclass(frozen=True, slots=True)
class ImportResult:
    imported: int
    rejected: list[tuple[int, str]]


PERMIT_COLUMNS = (
    "kind,number,issuing_state,document_number,document_issuing_state,nationality,surname,"
    "given_names,birth_date,valid_from,valid_until,stay_days,entries"
).split(",")


def _rows(data: bytes, required: list[str]) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """The CSV's rows with their line numbers (the header is line 1)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise errors.invalid("file", "not UTF-8 text") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise errors.invalid("file", f"missing columns: {', '.join(missing)}")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise errors.invalid("file", f"more than {MAX_ROWS} rows")
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    return rows, text


def _message(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}" for e in exc.errors()
    )


def import_permits(db: Session, *, data: bytes, actor: Actor) -> ImportResult:
    """Every valid row becomes a permit; a row that is invalid, or names a permit recorded
    already (here or earlier in the file), is rejected with its line number."""
    rows, _ = _rows(data, [c for c in PERMIT_COLUMNS if c not in ("birth_date", "stay_days")])
    at = utcnow()
    rejected: list[tuple[int, str]] = []
    bodies: list[tuple[int, PermitCreate]] = []
    for line, row in rows:
        raw: dict[str, Any] = {
            "kind": row.get("kind"),
            "number": row.get("number"),
            "issuing_state": row.get("issuing_state"),
            "holder": {
                "document_number": row.get("document_number"),
                "issuing_state": row.get("document_issuing_state"),
                "nationality": row.get("nationality"),
                "surname": row.get("surname"),
                "given_names": row.get("given_names", ""),
                "birth_date": row.get("birth_date") or None,
            },
            "valid_from": row.get("valid_from"),
            "valid_until": row.get("valid_until"),
            "stay_days": row.get("stay_days") or None,
            "entries": row.get("entries"),
        }
        try:
            bodies.append((line, PermitCreate.model_validate(raw)))
        except ValidationError as exc:
            rejected.append((line, _message(exc)))
    known = {
        (s, k, n)
        for s, k, n in db.execute(
            select(Permit.issuing_state, Permit.kind, Permit.number).where(
                Permit.number.in_({b.number for _, b in bodies})
            )
        )
    }
    imported = 0
    for line, body in bodies:
        if actor.country is not None and body.issuing_state != actor.country:
            rejected.append(
                (line, f"issued by {body.issuing_state}: outside {actor.country}'s scope")
            )
            continue
        key = (body.issuing_state, body.kind.value, body.number)
        if key in known:
            rejected.append((line, f"{body.kind.value} {body.number} is recorded already"))
            continue
        known.add(key)
        permit = _new_permit(body, actor, at)
        db.add(permit)
        imported += 1
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="permit.import",
        subject_type="permit",
        subject_id="import",
        after={"imported": imported, "rejected": len(rejected)},
    )
    return ImportResult(imported, sorted(rejected))


def get_permit(db: Session, permit_id: str, *, lock: bool = False) -> Permit:
    permit = db.get(Permit, permit_id, with_for_update=lock)
    if permit is None:
        raise errors.not_found("permit", permit_id)
    return permit


def permits_of(db: Session, *, document_number: str, issuing_state: str) -> list[Permit]:
    return list(
        db.scalars(
            select(Permit)
            .where(
                Permit.holder_issuing_state == issuing_state.strip().upper(),
                Permit.holder_document_number == document_number.strip().upper(),
            )
            .order_by(Permit.valid_from.desc(), Permit.id)
        )
    )


def recent_permits(db: Session, *, limit: int = 50) -> list[Permit]:
    return list(db.scalars(select(Permit).order_by(Permit.created_at.desc()).limit(limit)))


def cancel_permit(db: Session, *, permit_id: str, reason: str, actor: Actor) -> Permit:
    permit = get_permit(db, permit_id, lock=True)
    scope.require_country(actor, permit.issuing_state)
    if permit.cancelled_at is not None:
        raise errors.conflict("permit-cancelled", f"Permit {permit.number} is cancelled already.")
    permit.cancelled_at, permit.cancelled_by = utcnow(), actor.label
    permit.cancel_reason = reason
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="permit.cancel",
        subject_type="permit",
        subject_id=permit.id,
        before={"cancelled": False},
        after={"cancelled": True, "reason": reason},
    )
    return permit


# --- document alerts --------------------------------------------------------------------------


def create_alert(db: Session, *, body: AlertCreate, actor: Actor) -> DocumentAlert:
    alert = DocumentAlert(
        document_number=body.document_number,
        issuing_state=body.issuing_state,
        kind=body.kind.value,
        source=body.source,
        note=body.note,
        created_at=utcnow(),
        created_by=actor.label,
    )
    try:
        with db.begin_nested():
            db.add(alert)
            db.flush()
    except IntegrityError as exc:
        raise errors.conflict(
            "alert-exists",
            f"{body.source} has listed {body.issuing_state} {body.document_number} already.",
        ) from exc
    audit.record(
        db,
        actor=actor.label,
        action="document_alert.create",
        subject_type="document_alert",
        subject_id=alert.id,
        after={
            "document": f"{alert.issuing_state} {alert.document_number}",
            "kind": alert.kind,
            "source": alert.source,
        },
    )
    return alert


def import_alerts(db: Session, *, data: bytes, actor: Actor) -> ImportResult:
    """An extract in the shape of INTERPOL's SLTD: `document_number,issuing_state,kind,source`
    (+ optional `note`). A row already listed by the same source is rejected with its line."""
    rows, _ = _rows(data, ["document_number", "issuing_state", "kind", "source"])
    at = utcnow()
    rejected: list[tuple[int, str]] = []
    bodies: list[tuple[int, AlertCreate]] = []
    for line, row in rows:
        try:
            bodies.append(
                (
                    line,
                    AlertCreate.model_validate(
                        {
                            "document_number": row.get("document_number"),
                            "issuing_state": row.get("issuing_state"),
                            "kind": (row.get("kind") or "").lower(),
                            "source": row.get("source"),
                            "note": row.get("note") or None,
                        }
                    ),
                )
            )
        except ValidationError as exc:
            rejected.append((line, _message(exc)))
    known = {
        tuple(r)
        for r in db.execute(
            select(
                DocumentAlert.issuing_state, DocumentAlert.document_number, DocumentAlert.source
            ).where(DocumentAlert.document_number.in_({b.document_number for _, b in bodies}))
        )
    }
    imported = 0
    for line, body in bodies:
        key = (body.issuing_state, body.document_number, body.source)
        if key in known:
            rejected.append((line, "listed already by this source"))
            continue
        known.add(key)
        db.add(
            DocumentAlert(
                document_number=body.document_number,
                issuing_state=body.issuing_state,
                kind=body.kind.value,
                source=body.source,
                note=body.note,
                created_at=at,
                created_by=actor.label,
            )
        )
        imported += 1
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="document_alert.import",
        subject_type="document_alert",
        subject_id="import",
        after={"imported": imported, "rejected": len(rejected)},
    )
    return ImportResult(imported, sorted(rejected))


def alerts_of(db: Session, *, document_number: str, issuing_state: str) -> list[DocumentAlert]:
    return list(
        db.scalars(
            select(DocumentAlert)
            .where(
                DocumentAlert.issuing_state == issuing_state.strip().upper(),
                DocumentAlert.document_number == document_number.strip().upper(),
            )
            .order_by(DocumentAlert.created_at, DocumentAlert.id)
        )
    )


def recent_alerts(db: Session, *, limit: int = 50) -> list[DocumentAlert]:
    return list(
        db.scalars(select(DocumentAlert).order_by(DocumentAlert.created_at.desc()).limit(limit))
    )
