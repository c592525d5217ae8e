"""A supervisor confirms a self-declared humanitarian load: the truck joins the first class.

A trader's own word is not enough to jump the queue (every trader would claim it); a supervisor
who has seen the consignment's papers (a UN agency's or the Red Crescent's) confirms it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo.lanes import TruckState
from borderpost.cargo.models import TruckVisit
from borderpost.cargo.queueing import PriorityClass
from borderpost.cargo.records import get_truck
from borderpost.db import utcnow


def confirm_humanitarian(
    db: Session, *, truck_id: str, actor: Actor, at: datetime | None = None
) -> TruckVisit:
    at = at or utcnow()
    truck = get_truck(db, truck_id, for_update=True)
    if not truck.humanitarian:
        raise errors.conflict(
            "not-humanitarian",
            "The declaration does not claim humanitarian priority.",
            "Not a humanitarian declaration",
        )
    if truck.humanitarian_confirmed_at is not None:
        raise errors.conflict(
            "already-confirmed",
            f"Humanitarian priority was confirmed by {truck.humanitarian_confirmed_by}.",
            "Already confirmed",
        )
    if truck.state != TruckState.QUEUED:
        raise errors.conflict(
            "invalid-transition", "Only a waiting truck's priority can be confirmed."
        )
    before = truck.priority_class
    truck.priority_class = int(PriorityClass.LIVE_ANIMALS)
    truck.humanitarian_confirmed_at, truck.humanitarian_confirmed_by = at, actor.label
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="truck.humanitarian_confirm",
        subject_type="truck_visit",
        subject_id=truck.id,
        before={"priority_class": before},
        after={"priority_class": truck.priority_class},
    )
    return truck
