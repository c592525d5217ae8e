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
The classes are interleaved, not served strictly in order: calls go to the waiting classes by
smooth weighted round robin (weights 8, 4, 2, 1), so when every class has trucks waiting a
standard truck is still called at least once in every 15 calls and no class starves behind a
long line of perishables. Besides, a truck that has waited `promote_after_minutes` joins class 1
in its arrival order (off by default). The risk lane does not change the order.
"""

from __future__ import annotations

from collections import deque
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


# The share of calls each class gets while all are waiting (a class with nobody waiting yields
# its share to the others).
CLASS_WEIGHTS = {
    PriorityClass.LIVE_ANIMALS: 8,
    PriorityClass.PERISHABLE: 4,
    PriorityClass.TRANSIT: 2,
    PriorityClass.STANDARD: 1,
}


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
    """Waiting trucks in the order they will be called: the classes interleaved by weight,
    arrival order within a class."""
    promote_after = (
        timedelta(minutes=promote_after_minutes) if promote_after_minutes is not None else None
    )
    lines: dict[PriorityClass, deque[QueuedTruck]] = {}
    for t in sorted(trucks, key=lambda t: (t.arrived_at, t.truck_id)):
        lines.setdefault(_effective_class(t, now, promote_after), deque()).append(t)
    credit = dict.fromkeys(lines, 0)
    ordered: list[QueuedTruck] = []
    while lines:
        total = sum(CLASS_WEIGHTS[c] for c in lines)
        for cls in lines:
            credit[cls] += CLASS_WEIGHTS[cls]
        chosen = max(lines, key=lambda c: (credit[c], -c))  # ties: the higher priority
        credit[chosen] -= total
        ordered.append(lines[chosen].popleft())
        if not lines[chosen]:
            del lines[chosen], credit[chosen]
    return ordered


def placement_reason(cls: PriorityClass) -> str:
    """Why a truck is where it is in the queue, in words for the cargo page."""
    return _PLACEMENT[cls]


_PLACEMENT = {
    PriorityClass.LIVE_ANIMALS: "live animals or confirmed humanitarian relief: called most often",
    PriorityClass.PERISHABLE: "perishable or refrigerated goods: called before ordinary trucks",
    PriorityClass.TRANSIT: "transit: called before ordinary trucks",
    PriorityClass.STANDARD: "ordinary goods: called in arrival order, at least 1 call in 15",
}
