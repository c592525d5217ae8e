"""Crossings by air, recorded by a supervisor so presence is known across every point of entry.

A traveller who flew in and leaves by land would otherwise be referred as `not_in_country`: the
supervisor records the entry (or exit) the airport made, at the airport point, with the state's
findings beside it (a permit used, the stay allowed); the airport's decision stands.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from borderpost.auth.service import Actor
from borderpost.crossing.models import Crossing
from borderpost.traveller import service
from borderpost.traveller.rules import Direction, TravelMode


def record_air_movement(
    db: Session,
    *,
    crossing: Crossing,
    direction: Direction,
    airport: str,
    crossed_at: datetime,
    mrz: str | None = None,
    document: service.Document | None = None,
    actor: Actor,
) -> service.RecordedMovement:
    """The movement at the airport point, at the time the traveller crossed there."""
    return service.record_movement(
        db,
        crossing=crossing,
        direction=direction,
        travel_mode=TravelMode.AIR,
        purpose=f"airport {airport}",
        mrz=mrz,
        document=document,
        actor=actor,
        at=crossed_at,
        point="airport",
    )
