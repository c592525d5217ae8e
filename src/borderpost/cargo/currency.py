"""ISO 4217 currency codes (pycountry's table)."""

from __future__ import annotations

from functools import cache

import pycountry

__all__ = ["is_currency"]

# ISO 4217 codes that are not money a declaration can be valued in: "testing" and "no currency".
_NOT_FOR_VALUES = frozenset({"XTS", "XXX"})


@cache
def _codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies) - _NOT_FOR_VALUES


def is_currency(code: str) -> bool:
    """True for an active ISO 4217 alphabetic code written in capitals ("IQD", "USD")."""
    return isinstance(code, str) and len(code) == 3 and code.isupper() and code in _codes()
