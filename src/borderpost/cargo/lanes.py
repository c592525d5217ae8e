"""Risk lanes, the controls each lane needs before release, and the truck-visit lifecycle.

Pure rules: plain values in, a decision or a `CargoRuleViolation` out. The service layer maps a
violation's `code` onto the API's problem types (`/inspection-required`, `/detained`, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CargoRuleViolation",
    "InspectionKind",
    "InspectionResult",
    "Lane",
    "TruckState",
    "check_release",
    "check_transition",
    "needs_post_clearance_audit",
    "release_allowed",
    "required_inspection_kinds",
    "state_after_inspection",
]


class Lane(StrEnum):
    """Customs selectivity lanes, lowest to highest."""

    GREEN = "green"  # release without control
    BLUE = "blue"  # release now, audit after clearance
    YELLOW = "yellow"  # documentary check
    RED = "red"  # physical examination

    @property
    def rank(self) -> int:
        return _LANE_RANK[self]


_LANE_RANK = {Lane.GREEN: 0, Lane.BLUE: 1, Lane.YELLOW: 2, Lane.RED: 3}


class InspectionKind(StrEnum):
    DOCUMENTARY = "documentary"
    PHYSICAL = "physical"
    XRAY = "xray"


class InspectionResult(StrEnum):
    CLEARED = "cleared"
    DISCREPANCY = "discrepancy"
    SEIZURE = "seizure"


class TruckState(StrEnum):
    QUEUED = "queued"
    HELD = "held"  # the driver was refused entry: waits for a supervisor's resolution
    INSPECTING = "inspecting"
    RELEASED = "released"
    DETAINED = "detained"


# From each state, the states a truck visit may move to. `released` and `detained` are final:
# a detained truck may still be inspected (it stays detained), never released here.
ALLOWED_TRANSITIONS: dict[TruckState, frozenset[TruckState]] = {
    TruckState.HELD: frozenset({TruckState.QUEUED}),
    TruckState.QUEUED: frozenset({TruckState.INSPECTING, TruckState.RELEASED, TruckState.DETAINED}),
    TruckState.INSPECTING: frozenset({TruckState.RELEASED, TruckState.DETAINED}),
    TruckState.RELEASED: frozenset(),
    TruckState.DETAINED: frozenset(),
}

# The inspection kinds that satisfy each lane: one `cleared` inspection of any of these kinds is
# the control the lane needs. A stricter control satisfies a milder lane (a physical examination
# covers a documentary check); an empty set means no control before release.
_SATISFYING_KINDS: dict[Lane, frozenset[str]] = {
    Lane.GREEN: frozenset(),
    Lane.BLUE: frozenset(),
    Lane.YELLOW: frozenset({"documentary", "physical", "xray"}),
    # An x-ray scan selects where to look; only opening the load clears a red lane.
    Lane.RED: frozenset({"physical"}),
}


class CargoRuleViolation(Exception):
    """A cargo rule forbids the action now. `code` is stable: `inspection-required`,
    `discrepancy-open`, `detained`, `already-released`, `invalid-transition`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def required_inspection_kinds(lane: Lane | str) -> set[str]:
    """The inspection kinds that satisfy `lane` (any one of them, cleared); empty: none needed."""
    return set(_SATISFYING_KINDS[Lane(lane)])


def needs_post_clearance_audit(lane: Lane | str) -> bool:
    return Lane(lane) is Lane.BLUE


def release_allowed(lane: Lane | str, inspections: Sequence[tuple[str, str]]) -> tuple[bool, str]:
    """May a truck in `lane` with these inspections (kind, result), oldest first, be released?

    Returns (allowed, reason code). Refusals: `detained` (any seizure, for ever),
    `discrepancy-open` (the latest inspection found a discrepancy and no later inspection cleared
    it), `inspection-required` (no cleared inspection of a kind the lane needs). Permissions:
    `no-control-required` (green), `post-clearance-audit` (blue), `inspected`.
    """
    lane = Lane(lane)
    recorded = [(InspectionKind(k), InspectionResult(r)) for k, r in inspections]
    if any(result is InspectionResult.SEIZURE for _, result in recorded):
        return False, "detained"
    if recorded and recorded[-1][1] is InspectionResult.DISCREPANCY:
        return False, "discrepancy-open"
    needed = _SATISFYING_KINDS[lane]
    if not needed:
        return True, "post-clearance-audit" if lane is Lane.BLUE else "no-control-required"
    if any(kind in needed and result is InspectionResult.CLEARED for kind, result in recorded):
        return True, "inspected"
    return False, "inspection-required"


_RELEASE_MESSAGES = {
    "detained": "the truck is detained after a seizure and cannot be released",
    "discrepancy-open": "the latest inspection found a discrepancy; clear it with a new inspection",
    "inspection-required": "this lane needs an inspection before release",
    "red-inspection-required": "a red lane needs a physical examination before release "
    "(an x-ray does not clear it)",
}


def check_transition(current: TruckState | str, target: TruckState | str) -> None:
    current, target = TruckState(current), TruckState(target)
    if target in ALLOWED_TRANSITIONS[current]:
        return
    if current is TruckState.RELEASED:
        raise CargoRuleViolation("already-released", "the truck has already been released")
    if current is TruckState.DETAINED:
        raise CargoRuleViolation("detained", "the truck is detained")
    raise CargoRuleViolation("invalid-transition", f"a truck cannot go from {current} to {target}")


def state_after_inspection(state: TruckState | str, result: InspectionResult | str) -> TruckState:
    """The state after recording an inspection: a seizure detains, anything else inspects.
    Inspecting a released truck is refused; a detained truck stays detained."""
    state, result = TruckState(state), InspectionResult(result)
    if state is TruckState.RELEASED:
        raise CargoRuleViolation("already-released", "the truck has already been released")
    if state is TruckState.DETAINED:
        return TruckState.DETAINED
    target = TruckState.DETAINED if result is InspectionResult.SEIZURE else TruckState.INSPECTING
    if target is not state:
        check_transition(state, target)
    return target


def check_release(
    state: TruckState | str, lane: Lane | str, inspections: Iterable[tuple[str, str]]
) -> None:
    """Raise CargoRuleViolation unless a truck in `state` and `lane` may be released now."""
    check_transition(state, TruckState.RELEASED)
    allowed, reason = release_allowed(lane, list(inspections))
    if not allowed:
        red = reason == "inspection-required" and Lane(lane) is Lane.RED
        raise CargoRuleViolation(reason, _RELEASE_MESSAGES["red-" + reason if red else reason])
