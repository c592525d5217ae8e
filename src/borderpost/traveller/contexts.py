"""What the traveller domain shows on pages composed with other domains (web.screens): the
referred movements on the supervisor page, the group arrivals on the security page. Read-only;
no routes here, so any page may use them without importing another page module."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from borderpost.crossing.models import Crossing
from borderpost.traveller import groups
from borderpost.traveller.models import GroupArrival, Movement
from borderpost.traveller.rules import Custody, Decision, GroupCategory, TravelMode

GROUPS_SHOWN = 20
PERSONS_SHOWN = 500


def referred_movements(db: Session, crossing: Crossing, limit: int = 50) -> list[Movement]:
    """Read-only: the crossing's movements still waiting for a supervisor, oldest first."""
    query = (
        select(Movement)
        .where(
            Movement.crossing_id == crossing.id,
            or_(
                Movement.decision == Decision.REFERRED.value,
                # A refused driver holds the truck until a supervisor resolves the movement.
                and_(
                    Movement.decision == Decision.REFUSED.value,
                    Movement.travel_mode == TravelMode.TRUCK_DRIVER.value,
                    Movement.resolved_at.is_(None),
                ),
            ),
        )
        .order_by(Movement.recorded_at, Movement.id)
        .limit(limit)
    )
    return list(db.scalars(query))


def groups_context(db: Session, crossing: Crossing, selected: str | None = None) -> dict[str, Any]:
    """What the security page shows of group arrivals; with `selected`, that group's persons."""
    listed = groups.list_group_arrivals(db, crossing=crossing)[:GROUPS_SHOWN]
    group = None
    if selected:
        found = db.get(GroupArrival, selected[:32])
        group = found if found is not None and found.crossing_id == crossing.id else None
    return {
        "groups": [(g, groups.counts(db, g)) for g in listed],
        "group": group,
        "group_counts": groups.counts(db, group) if group else None,
        "group_persons": _handable(db, group) if group else [],
        "group_handovers": groups.handovers_of(db, group) if group else [],
        "group_categories": [c.value for c in GroupCategory],
    }


def _handable(db: Session, group: GroupArrival) -> list[Any]:
    """The persons who can still be handed over (in custody, then in hospital), up to 500."""
    shown = groups.list_persons(db, group=group, limit=PERSONS_SHOWN, custody=Custody.IN_CUSTODY)
    room = PERSONS_SHOWN - len(shown)
    if room > 0:
        shown += groups.list_persons(db, group=group, limit=room, custody=Custody.IN_HOSPITAL)
    return shown
