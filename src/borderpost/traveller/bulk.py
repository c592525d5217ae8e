"""Many movements in one call: a day's traffic for the demo loader, a batch typed in after a
booth worked offline.

The same decisions as `service.record_movement`, movement by movement in the given order (a
traveller met twice in the batch is decided the second time on what the first did), with the
work done once per batch instead of once per row: the people screened together (one index
look-up, a person met twice screened once), the travellers' rows written by one statement and
read back by one query, the movements inserted together and their audit records appended in one
step. Each movement still gets its own audit record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.admission import service as admission
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing
from borderpost.crossing.rules import Traffic
from borderpost.ids import new_id
from borderpost.screening import service as screening
from borderpost.screening.service import PersonQuery
from borderpost.traveller.decision import decide_movement
from borderpost.traveller.models import Movement, Traveller
from borderpost.traveller.rules import (
    Decision,
    Direction,
    TravelMode,
)
from borderpost.traveller.service import (
    READING,
    Document,
    hits_json,
    local_date,
    read_mrz,
    screening_name,
    stay_granted,
    upsert_statement,
)

KEYS_PER_QUERY = 400  # travellers read back per query (SQLite allows 32,766 parameters)


@dataclass(frozen=True, slots=True)
class NewMovement:
    direction: Direction
    travel_mode: TravelMode
    at: datetime
    mrz: str | None = None
    document: Document | None = None
    purpose: str | None = None
    category: str = "regular"


@dataclass(frozen=True, slots=True)
class Recorded:
    id: str
    direction: Direction
    decision: Decision
    recorded_at: datetime
    document_number: str


def record_movements(
    db: Session, *, crossing: Crossing, movements: Sequence[NewMovement], actor: Actor
) -> list[Recorded]:
    """Record and decide movements in order. 409 when closed to passengers; a 422 on any
    document refuses the whole batch (the error names the movement) and records nothing."""
    if not movements:
        return []
    docs: list[Document] = []
    for n, new in enumerate(movements):
        if (new.mrz is None) == (new.document is None):
            raise errors.invalid(f"movements[{n}]", "give exactly one of mrz or document")
        if new.mrz is None:
            assert new.document is not None
            doc = new.document
        else:
            try:
                doc = read_mrz(new.mrz, today=local_date(crossing, new.at))
            except errors.DomainError as exc:
                exc.detail = f"movements[{n}]: {exc.detail}"
                raise
        if doc.document_type.startswith("V"):
            raise errors.invalid(
                f"movements[{n}].document.document_type",
                "a visa (V) is not a travel document: give the passport",
            )
        # The crossing's status as record_movement checks it (direction, category, nationality).
        crossings.require_admission(
            crossing=crossing,
            traffic=Traffic.PASSENGER,
            direction=new.direction,
            category=new.category,
            nationality=doc.nationality,
        )
        docs.append(doc)

    outcomes = screening.screen_people(
        db,
        [
            PersonQuery(
                name=screening_name(d.given_names, d.surname),
                birth_date=d.birth_date,
                nationality=d.nationality,
                sex=d.sex,
            )
            for d in docs
        ],
    )
    travellers = _write_travellers(db, movements, docs)

    rows: list[dict[str, Any]] = []
    entries: list[audit.Entry] = []
    recorded: list[Recorded] = []
    # where each traveller moved in this batch: (direction, when, stay granted on entry)
    moved: dict[str, tuple[str, datetime, date | None]] = {}
    for new, doc, outcome in zip(movements, docs, outcomes, strict=True):
        traveller = travellers[(doc.issuing_state, doc.document_number)]
        on = local_date(crossing, new.at)
        if traveller.id in moved:
            last, last_at, stay_until = moved[traveller.id]
        else:
            last, last_at = traveller.last_crossed, traveller.last_crossed_at
            stay_until = (
                stay_granted(db, traveller.id, last) if new.direction == Direction.EXIT else None
            )
        decided = decide_movement(
            db,
            crossing=crossing,
            direction=new.direction,
            travel_mode=new.travel_mode,
            on=on,
            document_number=doc.document_number,
            issuing_state=doc.issuing_state,
            nationality=doc.nationality,
            expiry_date=doc.expiry_date,
            outcome=outcome,
            last_crossed=Direction(last) if last else None,
            last_crossed_on=local_date(crossing, last_at) if last_at else None,
            stay_until=stay_until if new.direction == Direction.EXIT else None,
        )
        decision, reasons, assessment = decided.decision, decided.reasons, decided.assessment
        movement_id = new_id()
        if decision == Decision.ADMITTED:
            moved[traveller.id] = (new.direction.value, new.at, assessment.stay_until)
        reason_rows = [
            {
                "code": r.code.value,
                "message": r.message,
                "refusal_ground": r.ground.value if r.ground else None,
            }
            for r in reasons
        ]
        rows.append(
            {
                "id": movement_id,
                "crossing_id": crossing.id,
                "traveller_id": traveller.id,
                "direction": new.direction.value,
                "travel_mode": new.travel_mode.value,
                "purpose": new.purpose,
                "nationality": doc.nationality,
                "document": doc.to_json(),
                "source": "mrz" if new.mrz is not None else "document",
                "decision": decision.value,
                "initial_decision": decision.value,
                "reasons": reason_rows,
                "refusal_ground": (
                    next((r.ground.value for r in reasons if r.ground), None)
                    if decision == Decision.REFUSED
                    else None
                ),
                "screening_status": outcome.status,
                "screening_matches": hits_json(outcome),
                "recorded_at": new.at,
                "recorded_by": actor.label,
                "permit_id": assessment.permit_id,
                "stay_until": assessment.stay_until,
                "overstay_days": assessment.overstay_days,
                "point": "land",
            }
        )
        if decision == Decision.ADMITTED and assessment.permit_id:
            # The permit's use names this movement, so the movements so far are written first;
            # a single-entry permit is then used up for the rest of the batch too.
            db.execute(Movement.__table__.insert(), rows)
            rows = []
            admission.use_permit(
                db, permit_id=assessment.permit_id, movement_id=movement_id, at=new.at
            )
            db.flush()
        entries.append(
            audit.Entry(
                action="movement.record",
                subject_type="movement",
                subject_id=movement_id,
                after={
                    "crossing": crossing.code,
                    "traveller_id": traveller.id,
                    "direction": new.direction.value,
                    "decision": decision.value,
                    "reasons": [r.code.value for r in reasons],
                    "matches": [h.entry_id for h in outcome.matches],
                    "permit_id": assessment.permit_id,
                    "point": "land",
                    "recorded_at": new.at,
                },
            )
        )
        recorded.append(Recorded(movement_id, new.direction, decision, new.at, doc.document_number))
    if rows:
        db.execute(Movement.__table__.insert(), rows)
    if moved:
        db.execute(
            update(Traveller),
            [
                {"id": tid, "last_crossed": direction, "last_crossed_at": when}
                for tid, (direction, when, _stay) in moved.items()
            ],
        )
    audit.record_many(db, actor=actor.label, entries=entries)
    return recorded


def _write_travellers(
    db: Session, movements: Sequence[NewMovement], docs: list[Document]
) -> dict[tuple[str, str], Traveller]:
    """Each document's row with this batch's latest reading (new documents inserted, first
    seen at their first movement), read back with where the traveller was before the batch.
    The upsert takes the rows' locks on PostgreSQL, as `record_movement` does, before they are
    read; SQLite writers hold the whole database."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for new, doc in zip(movements, docs, strict=True):
        key = (doc.issuing_state, doc.document_number)
        values = {name: getattr(doc, name) for name in READING}
        if key in latest:
            latest[key].update(values)
        else:
            latest[key] = {
                "id": new_id(),
                "issuing_state": doc.issuing_state,
                "document_number": doc.document_number,
                **values,
                "first_seen_at": new.at,
            }
    statement = upsert_statement(db.get_bind().dialect.name, returning=False)
    db.execute(statement, list(latest.values()))
    keys = list(latest)
    found: dict[tuple[str, str], Traveller] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        query = select(Traveller).where(
            tuple_(Traveller.issuing_state, Traveller.document_number).in_(chunk)
        )
        for traveller in db.scalars(query, execution_options={"populate_existing": True}):
            found[(traveller.issuing_state, traveller.document_number)] = traveller
    return found
