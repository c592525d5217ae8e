"""Transit rules, pure: the state a discharge leaves, and what is overdue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

MAX_TIME_LIMIT_HOURS = 30 * 24


class TransitState(StrEnum):
    OPEN = "open"
    DISCHARGED = "discharged"  # arrived at destination, seals intact
    DISCHARGED_WITH_DISCREPANCY = "discharged_with_discrepancy"  # a seal missing or changed


def state_after_discharge(seals: Sequence[str], seals_found: Sequence[str]) -> TransitState:
    """Seals found as applied (in any order) discharge the transit; otherwise the discrepancy
    is recorded and the guarantee stays engaged until it is settled."""
    if sorted(seals) == sorted(seals_found):
        return TransitState.DISCHARGED
    return TransitState.DISCHARGED_WITH_DISCREPANCY


def is_overdue(state: str, due_at: datetime, now: datetime) -> bool:
    return TransitState(state) is TransitState.OPEN and due_at < now


def overdue_hours(due_at: datetime, now: datetime) -> int:
    return max(int((now - due_at).total_seconds() // 3600), 0)
