"""The cargo use cases, one import away: `cargo.service.register_truck(...)`.

They live by use case in arrival.py, inspection.py, queue_service.py and profile.py; the records
they share in records.py.
"""

from __future__ import annotations

from borderpost.cargo.arrival import register_truck, register_trucks
from borderpost.cargo.inspection import call_truck, record_inspection, release_truck
from borderpost.cargo.profile import active_profile, list_versions, publish_profile
from borderpost.cargo.queue_service import (
    open_lanes,
    public_wait_minutes,
    queue_snapshot,
    set_open_lanes,
)
from borderpost.cargo.records import get_truck, inspections_of, items_of, list_trucks

__all__ = [
    "active_profile",
    "call_truck",
    "get_truck",
    "inspections_of",
    "items_of",
    "list_trucks",
    "list_versions",
    "open_lanes",
    "public_wait_minutes",
    "publish_profile",
    "queue_snapshot",
    "record_inspection",
    "register_truck",
    "register_trucks",
    "release_truck",
    "set_open_lanes",
]
