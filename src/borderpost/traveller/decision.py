"""The decision on one movement, shared by the booth's path (`service.record_movement`) and the
batch path (`bulk.record_movements`), so both decide by the same rules: the law of the crossing's
state (admission: citizens, permits, alerts, exit bans, overstay), the watchlists and presence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from borderpost.admission import service as admission
from borderpost.admission.rules import Assessment
from borderpost.crossing.models import Crossing
from borderpost.screening import service as screening
from borderpost.screening.service import ScreeningOutcome
from borderpost.traveller import rules
from borderpost.traveller.rules import (
    Decision,
    Direction,
    MovementFacts,
    Reason,
    ReasonCode,
    RefusalGround,
    ScreeningStatus,
    TravelMode,
)

if TYPE_CHECKING:
    from borderpost.traveller.service import BoothCrossing


@dataclass(frozen=True, slots=True)
class Decided:
    decision: Decision
    reasons: list[Reason]
    assessment: Assessment


def decide_movement(
    db: Session,
    *,
    crossing: Crossing | BoothCrossing,
    direction: Direction,
    travel_mode: TravelMode,
    on: date,
    document_number: str,
    issuing_state: str,
    nationality: str,
    expiry_date: date,
    outcome: ScreeningOutcome,
    last_crossed: Direction | None,
    last_crossed_on: date | None,
    stay_until: date | None,
) -> Decided:
    """The strictest of the state's findings, the screening and presence; every finding kept."""
    # A match on an exit-ban list is the state's rule (exit_ban on exit), not a screening hit.
    ban_lists = screening.lists_with_purpose(db, "exit_ban") if outcome.matches else set()
    listed = [h for h in outcome.matches if h.list not in ban_lists]
    assessment = admission.assess_movement(
        db,
        state=crossing.country,
        direction=direction.value,
        on=on,
        document_number=document_number,
        issuing_state=issuing_state,
        nationality=nationality,
        expiry_date=expiry_date,
        truck_driver=travel_mode == TravelMode.TRUCK_DRIVER,
        exit_ban_lists=tuple(dict.fromkeys(h.list for h in outcome.matches if h.list in ban_lists)),
        stay_until=stay_until,
    )
    decision, reasons = rules.decide(
        MovementFacts(
            direction=direction,
            on=on,
            screening=ScreeningStatus.POSSIBLE_MATCH if listed else ScreeningStatus.CLEAR,
            last_crossed=last_crossed,
            last_crossed_on=last_crossed_on,
            admission=tuple(
                Reason(
                    ReasonCode(f.code.value),
                    f.message,
                    Decision(f.outcome.value),
                    RefusalGround(f.ground) if f.ground else None,
                )
                for f in assessment.findings
            ),
            citizen=assessment.citizen,
        )
    )
    return Decided(decision, reasons, assessment)
