"""Transit rules, pure: the state a discharge leaves, and what is overdue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
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


def remaining_kg(declared: Decimal, moved: Sequence[Decimal]) -> Decimal:
    return declared - sum(moved, Decimal(0))


def check_transfer_line(declared: Decimal, moved: Sequence[Decimal], kg: Decimal) -> str | None:
    """Why `kg` more cannot leave a line declared at `declared` kg of which `moved` already left
    (None when it can): kilograms are balanced per line, never more out than came in."""
    left = remaining_kg(declared, moved)
    if kg <= 0:
        return "must be more than 0"
    if kg > left:
        return f"is more than remains on the line ({left} kg)"
    return None
