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

__all__ = ["Calls", "PriorityClass", "QueuedTruck", "order_queue", "priority_class"]


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


class Calls:
    """The waiting lines and the round robin's credits: `pop()` gives the next truck called.

    A class whose line runs empty keeps its credit (the original dropped it with the line; as no
    truck joins during ordering, the order is the same), so a copy taken at any point can have a
    truck put back at the head of a line and go on as if that truck had been waiting all along:
    how the estimate places an ordinary truck arriving now without ordering the queue twice.
    """

    def __init__(
        self,
        trucks: Iterable[QueuedTruck],
        *,
        now: datetime | None = None,
        promote_after_minutes: float | None = None,
    ) -> None:
        promote_after = (
            timedelta(minutes=promote_after_minutes) if promote_after_minutes is not None else None
        )
        self.lines: dict[PriorityClass, deque[QueuedTruck]] = {c: deque() for c in PriorityClass}
        for t in sorted(trucks, key=lambda t: (t.arrived_at, t.truck_id)):
            self.lines[_effective_class(t, now, promote_after)].append(t)
        self.credit = dict.fromkeys(PriorityClass, 0)

    def __bool__(self) -> bool:
        return any(self.lines.values())

    def pop(self) -> QueuedTruck:
        """The next truck called: the classes interleaved by weight (smooth weighted round
        robin over the classes with trucks waiting), arrival order within a class."""
        waiting = [c for c, line in self.lines.items() if line]
        total = sum(CLASS_WEIGHTS[c] for c in waiting)
        for cls in waiting:
            self.credit[cls] += CLASS_WEIGHTS[cls]
        chosen = max(waiting, key=lambda c: (self.credit[c], -c))  # ties: the higher priority
        self.credit[chosen] -= total
        return self.lines[chosen].popleft()

    def copy(self) -> Calls:
        twin = Calls.__new__(Calls)
        twin.lines = {c: deque(line) for c, line in self.lines.items()}
        twin.credit = dict(self.credit)
        return twin


def order_queue(
    trucks: Iterable[QueuedTruck],
    *,
    now: datetime | None = None,
    promote_after_minutes: float | None = None,
) -> list[QueuedTruck]:
    """Waiting trucks in the order they will be called: the classes interleaved by weight,
    arrival order within a class."""
    calls = Calls(trucks, now=now, promote_after_minutes=promote_after_minutes)
    ordered: list[QueuedTruck] = []
    while calls:
        ordered.append(calls.pop())
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
