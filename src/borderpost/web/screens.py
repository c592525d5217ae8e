"""The pages that show more than one domain, composed in one place.

The supervisor page shows the crossing's status, assessments and statement and the traveller
domain's referred movements; the security page shows incidents and group arrivals. Each domain
gives its part (`<domain>/contexts.py`, read-only, no routes) and the routes of both domains
render these pages with the contexts composed here, so page modules never import each other:
`crossing.pages` and `traveller.pages` -> `web.screens` -> `<domain>.contexts`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from borderpost.crossing import contexts as crossing_parts
from borderpost.crossing.models import Crossing
from borderpost.traveller import contexts as traveller_parts

SUPERVISOR = "crossing/supervisor.html"
SECURITY = "crossing/security.html"


def supervisor_context(db: Session, crossing: Crossing) -> dict[str, Any]:
    return crossing_parts.supervisor_part(db, crossing) | {
        "referred": traveller_parts.referred_movements(db, crossing),
    }


def security_context(db: Session, crossing: Crossing, group: str | None = None) -> dict[str, Any]:
    return (
        crossing_parts.security_part(db, crossing)
        | {"extra_sections": ["traveller/groups.html"]}
        | traveller_parts.groups_context(db, crossing, group)
    )
