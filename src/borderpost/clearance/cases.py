"""Seizure cases: opened by a seizure, photos attached, handed over to police or an agency.

The truck stays `detained` (cargo's rule); the case records what was seized, from whom, and to
whom it went. A case is handed over once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo.models import Inspection, TruckVisit
from borderpost.cargo.records import from_thousandths, items_of
from borderpost.clearance.models import CasePhoto, SeizureCase
from borderpost.clearance.rules import CaseState, check_handover
from borderpost.db import utcnow

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
MAX_PHOTO = 10 * 1024 * 1024


def open_case(
    db: Session, *, truck: TruckVisit, inspection: Inspection, actor: Actor, at: datetime
) -> SeizureCase:
    """Open the truck's case at its first seizure; a later seizure adds its findings."""
    case = case_of(db, truck)
    if case is not None:
        case.findings = f"{case.findings}\n{inspection.findings or ''}".strip()
        db.flush()
        return case
    case = SeizureCase(
        truck_visit_id=truck.id,
        inspection_id=inspection.id,
        state=CaseState.OPEN.value,
        findings=inspection.findings or "",
        items=[
            {
                "item_index": i.line,
                "hs_code": i.hs_code,
                "description": i.description,
                "quantity": str(from_thousandths(i.quantity_thousandths)),
                "unit": i.unit,
                "gross_kg": str(from_thousandths(i.gross_grams)),
            }
            for i in items_of(db, truck)
        ],
        driver={
            k: truck.driver.get(k)
            for k in ("surname", "given_names", "document_number", "issuing_state", "nationality")
        },
        opened_at=at,
        opened_by=actor.label,
    )
    db.add(case)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="case.open",
        subject_type="seizure_case",
        subject_id=case.id,
        after={"truck_visit": truck.id, "inspection_id": inspection.id, "state": case.state},
    )
    return case


def case_of(db: Session, truck: TruckVisit) -> SeizureCase | None:
    return db.scalar(select(SeizureCase).where(SeizureCase.truck_visit_id == truck.id))


def get_case(db: Session, case_id: str, *, for_update: bool = False) -> SeizureCase:
    if for_update and db.get_bind().dialect.name == "postgresql":
        case = db.get(SeizureCase, case_id, with_for_update=True, populate_existing=True)
    else:
        case = db.get(SeizureCase, case_id)
    if case is None:
        raise errors.not_found("case", case_id)
    return case


def hand_over(
    db: Session,
    *,
    case_id: str,
    to: str,
    note: str | None,
    actor: Actor,
    at: datetime | None = None,
) -> SeizureCase:
    at = at or utcnow()
    case = get_case(db, case_id, for_update=True)
    if not check_handover(case.state):
        raise errors.conflict(
            "case-handed-over",
            f"The case was already handed over to {case.handed_over_to}.",
            "Case already handed over",
        )
    case.state = CaseState.HANDED_OVER.value
    case.handed_over_to, case.handover_note = to, note
    case.handed_over_at, case.handed_over_by = at, actor.label
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="case.handover",
        subject_type="seizure_case",
        subject_id=case.id,
        before={"state": CaseState.OPEN.value},
        after={"state": case.state, "to": to, "note": note},
    )
    return case


def add_photo(
    db: Session,
    *,
    case_id: str,
    filename: str,
    content_type: str,
    data: bytes,
    actor: Actor,
    at: datetime | None = None,
) -> CasePhoto:
    at = at or utcnow()
    case = get_case(db, case_id)
    if content_type not in PHOTO_TYPES:
        raise errors.invalid("file", f"a photo is JPEG, PNG or WebP, not {content_type}")
    if not data:
        raise errors.invalid("file", "is empty")
    if len(data) > MAX_PHOTO:
        raise errors.invalid("file", "is larger than 10 MB")
    photo = CasePhoto(
        case_id=case.id,
        filename=filename[:200] or "photo",
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        recorded_at=at,
        recorded_by=actor.label,
    )
    db.add(photo)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="case.photo",
        subject_type="seizure_case",
        subject_id=case.id,
        after={"photo_id": photo.id, "sha256": photo.sha256, "bytes": len(data)},
    )
    return photo


def photos_of(db: Session, case: SeizureCase) -> list[CasePhoto]:
    query = select(CasePhoto).where(CasePhoto.case_id == case.id)
    return list(db.scalars(query.order_by(CasePhoto.recorded_at, CasePhoto.id)))


def get_photo(db: Session, case_id: str, photo_id: str) -> CasePhoto:
    photo = db.get(CasePhoto, photo_id)
    if photo is None or photo.case_id != case_id:
        raise errors.not_found("photo", photo_id)
    return photo
