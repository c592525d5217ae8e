"""A declaration amended after a discrepancy: the items replaced, the assessment recomputed, a
penalty (data: fees.json) on the duty the first declaration would have evaded; audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo.amendment import replace_items
from borderpost.cargo.models import TruckVisit
from borderpost.cargo.records import from_thousandths, get_truck, inspections_of, items_of
from borderpost.cargo.records import to_thousandths as thousandths
from borderpost.cargo.schemas import ItemIn
from borderpost.clearance import service, tariff
from borderpost.clearance.models import Amendment
from borderpost.clearance.rules import ClearanceViolation, amendment_penalty, check_amendment
from borderpost.db import utcnow


def _items_json(db: Session, truck: TruckVisit) -> list[dict[str, str | int]]:
    return [
        {
            "line": i.line,
            "hs_code": i.hs_code,
            "description": i.description,
            "gross_kg": str(from_thousandths(i.gross_grams)),
            "value": str(from_thousandths(i.value_thousandths)),
            "currency": i.currency,
        }
        for i in items_of(db, truck)
    ]


def amend_declaration(
    db: Session,
    *,
    truck_id: str,
    items: list[ItemIn],
    reason: str,
    actor: Actor,
    at: datetime | None = None,
) -> Amendment:
    at = at or utcnow()
    truck = get_truck(db, truck_id, for_update=True)
    try:
        check_amendment(truck.state, [i.result for i in inspections_of(db, truck)])
    except ClearanceViolation as exc:
        raise service.conflict(exc) from exc
    before = service.assessment_of(db, truck)
    items_before = _items_json(db, truck)
    replace_items(db, truck=truck, items=items)
    db.flush()
    after = service.assessment_of(db, truck)
    fees = tariff.fees()
    penalty = amendment_penalty(
        before.duties, after.duties, percent=fees.penalty_percent, minimum=fees.penalty_minimum
    )
    amendment = Amendment(
        truck_visit_id=truck.id,
        reason=reason,
        items_before=items_before,
        items_after=_items_json(db, truck),
        duties_before_thousandths=thousandths(before.duties),
        duties_after_thousandths=thousandths(after.duties),
        penalty_thousandths=thousandths(penalty),
        recorded_at=at,
        recorded_by=actor.label,
    )
    db.add(amendment)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="declaration.amend",
        subject_type="truck_visit",
        subject_id=truck.id,
        before={"items": items_before, "duties": str(before.duties), "total": str(before.total)},
        after={
            "amendment_id": amendment.id,
            "items": amendment.items_after,
            "duties": str(after.duties),
            "penalty": str(penalty),
            "reason": reason,
        },
    )
    return amendment
