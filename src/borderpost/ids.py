"""Opaque, time-sortable ids: newest-first listing and cursors can sort by id alone."""

from __future__ import annotations

import secrets
import time


def new_id() -> str:
    # 13 hex digits of microseconds since the epoch, then 8 random hex digits.
    return f"{time.time_ns() // 1000:013x}{secrets.token_hex(4)}"
