"""What a truck still needs before release, for the customs page (the API answers 409s)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from borderpost.cargo import lanes
from borderpost.cargo.models import TruckVisit
from borderpost.cargo.records import get_truck, inspections_of, list_trucks
from borderpost.clearance import cases, service
from borderpost.crossing.models import Crossing


@dataclass(frozen=True, slots=True)
class ClearanceStatus:
    """What the cargo page shows in a truck's row: the money, and why release is not offered."""

    due: Decimal
    total: Decimal
    guarantee_missing: Decimal
    permits_missing: list[Any]
    missing: list[str]  # codes: inspection-required, discrepancy-open, permit-required, ...

    @property
    def release_allowed(self) -> bool:
        return not self.missing


def clearance_status(db: Session, truck: TruckVisit) -> ClearanceStatus:
    done_ = [(i.kind, i.result) for i in inspections_of(db, truck)]
    missing = []
    allowed, reason = lanes.release_allowed(truck.lane, done_)
    if not allowed:
        missing.append(reason)
    assessment = service.assessment_of(db, truck)
    needs = service.missing_permits(db, truck)
    if needs:
        missing.append("permit-required")
    if assessment.due > 0:
        missing.append("payment-required")
    guarantee_missing = max(assessment.guarantee_required - assessment.guaranteed, Decimal(0))
    if guarantee_missing > 0:
        missing.append("guarantee-required")
    return ClearanceStatus(assessment.due, assessment.total, guarantee_missing, needs, missing)


def statuses(db: Session, truck_ids: list[str]) -> dict[str, ClearanceStatus]:
    return {tid: clearance_status(db, get_truck(db, tid)) for tid in truck_ids}


def detained(db: Session, crossing: Crossing, limit: int = 50) -> list[tuple[TruckVisit, Any]]:
    """Detained trucks at the crossing, newest first, each with its seizure case."""
    trucks = list_trucks(db, crossing=crossing, state="detained", limit=limit)
    return [(t, cases.case_of(db, t)) for t in trucks]
