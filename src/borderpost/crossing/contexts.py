"""What the crossing domain shows on the supervisor and security pages, composed with the other
domains' parts in web.screens. Read-only; no routes here."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from borderpost.crossing import assessments as joint
from borderpost.crossing import service
from borderpost.crossing.models import Crossing
from borderpost.crossing.rules import AssessmentState

INCIDENT_KINDS = (
    "armed_clashes",
    "reinforced_positions",
    "patrol",
    "smuggling_attempt",
    "shooting",
    "explosive_device",
    "unrest",
    "other",
)


def supervisor_part(db: Session, crossing: Crossing) -> dict[str, Any]:
    """Status and its history, the joint assessments, the latest statement."""
    assessments = joint.list_assessments(db, crossing=crossing)
    return {
        "crossing": crossing,
        "section": "supervisor",
        "status": service.current_status(db, crossing),
        "history": service.list_status_changes(db, crossing=crossing, limit=10),
        "assessments": [(a, joint.signatures_of(db, a)) for a in assessments],
        "concluded": [a for a in assessments if a.state == AssessmentState.CONCLUDED],
        "statement": service.latest_statement(db, crossing),
    }


def security_part(db: Session, crossing: Crossing) -> dict[str, Any]:
    """The latest incidents and the kinds an officer may record."""
    return {
        "crossing": crossing,
        "section": "security",
        "incidents": service.list_incidents(db, crossing=crossing, limit=25),
        "incident_kinds": INCIDENT_KINDS,
    }
