"""The order in which waiting trucks are called to an inspection lane.

Our choice, after the practice of truck-queue systems at European land borders (the EU "green
lanes" of 2020 that put live animals and perishables first, the priority bookings of Baltic
electronic queues, the separate transit lanes at TIR/NCTS crossings):

  0. live animals (HS 01, 0301) and declared humanitarian relief,
  1. perishables (fresh meat, fish, dairy, cut flowers, fresh fruit and vegetables, or a truck
     declared temperature-controlled),
  2. transit (the truck only crosses the country; its controls are lighter and it blocks a bay
     for less time),
  3. everything else;

within a class, first come first served (arrival time, then truck id so the order is total).
Against starvation, a truck that has waited `promote_after_minutes` joins class 1 in its arrival
order (off by default; live animals still go first). The risk lane does not change the order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from borderpost.cargo.lanes import Lane

__all__ = ["PriorityClass", "QueuedTruck", "order_queue", "priority_class"]


class PriorityClass(IntEnum):
    LIVE_ANIMALS = 0
    PERISHABLE = 1
    TRANSIT = 2
    STANDARD = 3


_LIVE_PREFIXES = ("01", "0301")
_PERISHABLE_PREFIXES = ("02", "03", "04", "0603", "07", "08")
# Dried, shelled or otherwise shelf-stable goods inside those chapters.
_NOT_PERISHABLE_PREFIXES = ("0409", "0712", "0713", "0714", "0801", "0802", "080620", "0813")


@dataclass(frozen=True, slots=True)
class QueuedTruck:
    truck_id: str
    arrived_at: datetime
    lane: Lane = Lane.GREEN
    regime: str = "import"
    hs_codes: tuple[str, ...] = ()
    temperature_controlled: bool = False
    humanitarian: bool = False


def priority_class(truck: QueuedTruck) -> PriorityClass:
    codes = [c.replace(".", "") for c in truck.hs_codes]
    if truck.humanitarian or any(c.startswith(_LIVE_PREFIXES) for c in codes):
        return PriorityClass.LIVE_ANIMALS
    perishable = any(
        c.startswith(_PERISHABLE_PREFIXES) and not c.startswith(_NOT_PERISHABLE_PREFIXES)
        for c in codes
    )
    if truck.temperature_controlled or perishable:
        return PriorityClass.PERISHABLE
    if truck.regime == "transit":
        return PriorityClass.TRANSIT
    return PriorityClass.STANDARD


def _effective_class(
    truck: QueuedTruck, now: datetime | None, promote_after: timedelta | None
) -> PriorityClass:
    cls = priority_class(truck)
    if now is not None and promote_after is not None and now - truck.arrived_at >= promote_after:
        return min(cls, PriorityClass.PERISHABLE)
    return cls


def order_queue(
    trucks: Iterable[QueuedTruck],
    *,
    now: datetime | None = None,
    promote_after_minutes: float | None = None,
) -> list[QueuedTruck]:
    """Waiting trucks in the order they will be called: priority class, then arrival."""
    promote_after = (
        timedelta(minutes=promote_after_minutes) if promote_after_minutes is not None else None
    )
    return sorted(
        trucks,
        key=lambda t: (_effective_class(t, now, promote_after), t.arrived_at, t.truck_id),
    )
