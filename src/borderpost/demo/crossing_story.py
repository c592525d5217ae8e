"""The crossing's part of the story: closure for security, the joint assessment, the reopening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from borderpost.auth.permissions import Role
from borderpost.auth.service import Actor
from borderpost.crossing import assessments as joint
from borderpost.crossing import service
from borderpost.crossing.rules import (
    ReasonCategory,
    Recommendation,
    SignatureDecision,
    State,
    Traffic,
)
from borderpost.db import Database

CODE = "IQ-QAIM"
BOTH = [Traffic.CARGO, Traffic.PASSENGER]
Say = Callable[[str], None]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


MONITORING = [
    (
        "2024-12-21T09:00",
        "reinforced_positions",
        2,
        "Reinforced positions observed on the Syrian side opposite the crossing.",
    ),
    (
        "2025-01-17T22:40",
        "patrol",
        1,
        "Joint patrol along the berm north of the crossing; nothing found.",
    ),
    (
        "2025-02-26T03:15",
        "smuggling_attempt",
        3,
        "Smuggling attempt stopped 4 km south of the crossing: two vehicles of cigarettes seized",
    ),
    ("2025-04-09T11:00", "patrol", 1, "Routine patrol; the crossing area is calm."),
]


def closure(db: Database, actors: dict[Role, Actor], say: Say) -> None:
    """December 2024: the crossing, the clashes and the closure for security."""
    admin, supervisor, security = actors[Role.ADMIN], actors[Role.SUPERVISOR], actors[Role.SECURITY]

    with db.transaction() as s:
        service.create_crossing(
            s,
            code=CODE,
            name="Al-Qaim",
            country="IRQ",
            neighbour_country="SYR",
            counterpart_name="Albu Kamal",
            timezone="Asia/Baghdad",
            actor=admin,
            at=at("2024-12-01T00:00"),
        )
    say("crossing IQ-QAIM Al-Qaim / Albu Kamal")

    with db.transaction() as s:
        crossing = service.get_crossing(s, CODE)
        service.record_incident(
            s,
            crossing=crossing,
            kind="armed_clashes",
            severity=4,
            occurred_at=at("2024-12-06T16:00"),
            description="Armed clashes near Albu Kamal on the Syrian side of the border.",
            actor=security,
            at=at("2024-12-06T16:30"),
        )
    with db.transaction() as s:
        crossing = service.get_crossing(s, CODE)
        service.change_status(
            s,
            crossing=crossing,
            traffic=BOTH,
            state=State.CLOSED,
            reason_category=ReasonCategory.SECURITY,
            reason="Clashes in the area and the withdrawal of Syrian government forces after the "
            "rebel offensive.",
            assessment_id=None,
            actor=supervisor,
            at=at("2024-12-07T06:00"),
        )
    say("2024-12-07 closed for security")


def road_to_reopening(db: Database, actors: dict[Role, Actor], say: Say) -> None:
    """December 2024 to June 2025: monitoring, a statement, the joint assessment, reopening."""
    supervisor, security, liaison = (
        actors[Role.SUPERVISOR],
        actors[Role.SECURITY],
        actors[Role.LIAISON],
    )
    for when, kind, severity, text in MONITORING:
        with db.transaction() as s:
            crossing = service.get_crossing(s, CODE)
            service.record_incident(
                s,
                crossing=crossing,
                kind=kind,
                severity=severity,
                occurred_at=at(when),
                description=text,
                actor=security,
                at=at(when),
            )

    with db.transaction() as s:
        crossing = service.get_crossing(s, CODE)
        service.publish_statement(
            s,
            crossing=crossing,
            actor=supervisor,
            at=at("2025-03-14T10:00"),
            text_en="The Syrian side has asked for cross-border trade to resume. Al-Qaim stays "
            "closed until a joint security assessment has been concluded.",
            text_ar="طلب الجانب السوري استئناف التجارة عبر الحدود. يبقى منفذ القائم مغلقاً "
            "إلى حين إنجاز تقييم أمني مشترك.",
        )

    with db.transaction() as s:
        crossing = service.get_crossing(s, CODE)
        assessment = joint.open_assessment(
            s,
            crossing=crossing,
            title="Joint security assessment Al-Qaim / Albu Kamal",
            findings="Both sides of the crossing are under stable control; inspection facilities, "
            "scanners and approach roads are serviceable; joint liaison arrangements agreed.",
            recommendation=Recommendation.REOPEN,
            traffic=BOTH,
            actor=supervisor,
            at=at("2025-05-20T09:00"),
        )
        assessment_id = assessment.id
    with db.transaction() as s:
        joint.sign_assessment(
            s,
            assessment_id=assessment_id,
            country="IRQ",
            official_name="Col. Karim Hassan",
            official_role="Director, Al-Qaim border crossing",
            decision=SignatureDecision.CONCUR,
            note=None,
            actor=supervisor,
            at=at("2025-05-27T10:00"),
        )
    with db.transaction() as s:
        joint.sign_assessment(
            s,
            assessment_id=assessment_id,
            country="SYR",
            official_name="Brig. Samer Haddad",
            official_role="Border liaison, Albu Kamal",
            decision=SignatureDecision.CONCUR,
            note="Concur.",
            actor=liaison,
            at=at("2025-05-28T10:00"),
        )
    say("2025-05 joint assessment concluded")

    with db.transaction() as s:
        crossing = service.get_crossing(s, CODE)
        service.change_status(
            s,
            crossing=crossing,
            traffic=BOTH,
            state=State.OPEN,
            reason_category=ReasonCategory.SECURITY,
            reason="Reopened on the concluded joint Iraqi-Syrian security assessment.",
            assessment_id=assessment_id,
            actor=supervisor,
            at=at("2025-06-14T05:00"),
        )
        service.publish_statement(
            s,
            crossing=crossing,
            actor=supervisor,
            at=at("2025-06-14T05:05"),
            text_en="Al-Qaim is open to cargo trucks and passengers from today, 14 June 2025, "
            "after a joint security assessment by Iraq and Syria.",
            text_ar="منفذ القائم مفتوح أمام الشاحنات والمسافرين اعتباراً من اليوم 14 حزيران 2025، "
            "بعد تقييم أمني مشترك بين العراق وسوريا.",
        )
    say("2025-06-14 reopened for cargo and passengers")
