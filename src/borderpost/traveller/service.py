"""Movements: a traveller's document read, screened and decided, in one short transaction.

`record_movement` is the booth's call: parse the MRZ (or take the typed document), one screening
call, the traveller's row (locked, so two booths cannot both admit the same entry), the decision
(rules.decide), one insert and its audit record.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, and_, bindparam, cast, extract, func, select, update
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.admission import service as admission
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing, TrafficStatus
from borderpost.crossing.rules import State, Traffic
from borderpost.db import count_if, utcnow
from borderpost.ids import new_id
from borderpost.screening import service as screening
from borderpost.screening.normalise import clean_name
from borderpost.screening.service import ScreeningOutcome
from borderpost.traveller import countries, rules
from borderpost.traveller.decision import decide_movement
from borderpost.traveller.models import Movement, Traveller
from borderpost.traveller.mrz import parse_mrz
from borderpost.traveller.rules import (
    Decision,
    Direction,
    Reason,
    ReasonCode,
    RefusalGround,
    TravelMode,
)


@dataclass(frozen=True, slots=True)
class Document:
    """The traveller fields of the contract, from an MRZ or typed in."""

    document_type: str
    document_number: str
    issuing_state: str
    nationality: str
    surname: str
    given_names: str
    birth_date: date | None
    sex: str
    expiry_date: date

    def to_json(self) -> dict[str, Any]:
        return {
            "document_type": self.document_type,
            "document_number": self.document_number,
            "issuing_state": self.issuing_state,
            "nationality": self.nationality,
            "surname": self.surname,
            "given_names": self.given_names,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class BoothCrossing:
    """What the booth's path reads of its crossing: the columns it uses and the passenger
    status rows (attributes as TrafficStatus names them, for crossings.require_admission)."""

    id: str
    code: str
    country: str
    timezone: str
    statuses: tuple[Any, ...]


_CROSSING = Crossing.__table__
_STATUS = TrafficStatus.__table__
# One Core query, built once: the crossing and its passenger status (no ORM objects to load).
_BOOTH_CROSSING = (
    select(
        _CROSSING.c.id,
        _CROSSING.c.code,
        _CROSSING.c.country,
        _CROSSING.c.timezone,
        _STATUS.c.traffic,
        _STATUS.c.direction,
        _STATUS.c.state,
        _STATUS.c.since,
        _STATUS.c.reason_category,
        _STATUS.c.reason,
        _STATUS.c.allowed_categories,
        _STATUS.c.allowed_nationalities,
    )
    .select_from(
        _CROSSING.outerjoin(
            _STATUS,
            and_(
                _STATUS.c.crossing_id == _CROSSING.c.id,
                _STATUS.c.traffic == Traffic.PASSENGER.value,
            ),
        )
    )
    .where(_CROSSING.c.code == bindparam("code"))
)


def booth_crossing(db: Session, code: str) -> BoothCrossing:
    """The crossing a passenger movement is recorded at, or 404 (as crossings.get_crossing)."""
    rows = db.connection().execute(_BOOTH_CROSSING, {"code": code.upper()}).all()
    if not rows:
        raise errors.not_found("crossing", code)
    first = rows[0]
    statuses = tuple(r for r in rows if r.traffic is not None)
    return BoothCrossing(first.id, first.code, first.country, first.timezone, statuses)


@dataclass(slots=True)
class RecordedMovement:
    """A movement as `record_movement` inserted it, by Movement's column names (the booth's
    path writes the row and never loads it: an ORM object would cost more than the insert)."""

    id: str
    crossing_id: str
    traveller_id: str
    direction: str
    travel_mode: str
    purpose: str | None
    nationality: str
    document: dict[str, Any]
    source: str
    decision: str
    initial_decision: str
    reasons: list[dict[str, Any]]
    screening_status: str
    screening_matches: list[dict[str, Any]]
    recorded_at: datetime
    recorded_by: str
    resolution_note: str | None
    refusal_ground: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    permit_id: str | None
    stay_until: date | None
    overstay_days: int | None
    point: str


def local_date(crossing: Crossing | BoothCrossing, at: datetime) -> date:
    return at.astimezone(ZoneInfo(crossing.timezone)).date()


def read_mrz(text: str, *, today: date) -> Document:
    """The document in an MRZ, or a 422 naming every failing field as `mrz.<field>`."""
    result = parse_mrz(text, today=today)
    problems = [
        errors.FieldError(
            "mrz" if e.field == "mrz" else f"mrz.{e.field}",
            e.message + (f" (suggested reading: {e.suggestion!r})" if e.suggestion else ""),
        )
        for e in result.errors
    ]
    if result.document_type and result.document_type.startswith("V"):
        # MRV-A/MRV-B: the visa is a permit to check against the passport, not the passport.
        problems.append(
            errors.FieldError(
                "mrz.document_type",
                "this is a visa's MRZ (document code V), not a travel document: scan the passport",
            )
        )
    for field in ("issuing_state", "nationality"):
        code = getattr(result, field)
        if code is not None and countries.is_specimen_country(code):
            problems.append(
                errors.FieldError(
                    f"mrz.{field}", f"{code} is the ICAO specimen state: not a real document"
                )
            )
    if problems or not result.valid:
        named = ", ".join(dict.fromkeys(p.field for p in problems)) or "mrz"
        raise errors.DomainError(
            f"The MRZ cannot be accepted: {named}.",
            slug="invalid-mrz",
            title="Invalid input",
            status=422,
            errors=problems or [errors.FieldError("mrz", "not a readable MRZ")],
        )
    assert result.document_number and result.issuing_state and result.nationality
    assert result.expiry_date and result.sex and result.surname is not None
    return Document(
        document_type=(result.document_type or "P").rstrip("<"),
        document_number=result.document_number,
        issuing_state=result.issuing_state,
        nationality=result.nationality,
        surname=result.surname,
        given_names=result.given_names or "",
        birth_date=result.birth_date,
        sex=result.sex,
        expiry_date=result.expiry_date,
    )


def hits_json(outcome: ScreeningOutcome) -> list[dict[str, Any]]:
    return [
        {
            "entry_id": h.entry_id,
            "list": h.list,
            "name": h.name,
            "matched_alias": h.matched_alias,
            "score": round(h.score, 3),
        }
        for h in outcome.matches
    ]


def screening_name(given_names: str, surname: str) -> str:
    """The name screened: given names first, through screening's one clean-up."""
    return str(clean_name(f"{given_names} {surname}"))


def record_movement(
    db: Session,
    *,
    crossing: Crossing | BoothCrossing,
    direction: Direction,
    travel_mode: TravelMode,
    purpose: str | None = None,
    mrz: str | None = None,
    document: Document | None = None,
    category: str = "regular",
    actor: Actor,
    at: datetime | None = None,
    screened: ScreeningOutcome | None = None,
    point: str = "land",
) -> RecordedMovement:
    """Record one movement and decide it by the law of the crossing's state (admission) and
    the watchlists. 409 when closed to passengers; a truck's driver (`truck_driver`, with the
    driver's screening already done) follows the cargo status the arrival checked."""
    at = at or utcnow()
    today = local_date(crossing, at)
    if (mrz is None) == (document is None):
        raise errors.invalid("mrz", "give exactly one of mrz or document")
    doc = read_mrz(mrz, today=today) if mrz is not None else document
    assert doc is not None
    if doc.document_type.startswith("V"):
        raise errors.invalid(
            "document.document_type", "a visa (V) is not a travel document: give the passport"
        )
    if travel_mode not in (TravelMode.TRUCK_DRIVER, TravelMode.AIR):
        # A driver follows the cargo status the arrival checked; an air crossing is no land one.
        crossings.require_admission(
            crossing=crossing,
            traffic=Traffic.PASSENGER,
            direction=direction,
            category=category,
            nationality=doc.nationality,
        )

    # One statement inserts a new document or takes the row of a known one, locked until the
    # transaction ends, with this reading of the document (two booths may read it at once).
    traveller_id, last_crossed, last_crossed_at = upsert_traveller(
        db,
        {
            "id": new_id(),
            "issuing_state": doc.issuing_state,
            "document_number": doc.document_number,
            "document_type": doc.document_type,
            "nationality": doc.nationality,
            "surname": doc.surname,
            "given_names": doc.given_names,
            "birth_date": doc.birth_date,
            "sex": doc.sex,
            "expiry_date": doc.expiry_date,
            "first_seen_at": at,
        },
    )
    outcome = screened or screening.screen_person(
        db,
        name=screening_name(doc.given_names, doc.surname),
        birth_date=doc.birth_date,
        nationality=doc.nationality,
        sex=doc.sex,
    )
    decided = decide_movement(
        db,
        crossing=crossing,
        direction=direction,
        travel_mode=travel_mode,
        on=today,
        document_number=doc.document_number,
        issuing_state=doc.issuing_state,
        nationality=doc.nationality,
        expiry_date=doc.expiry_date,
        outcome=outcome,
        last_crossed=Direction(last_crossed) if last_crossed else None,
        last_crossed_on=local_date(crossing, last_crossed_at) if last_crossed_at else None,
        stay_until=(
            stay_granted(db, traveller_id, last_crossed) if direction == Direction.EXIT else None
        ),
    )
    decision, reasons, assessment = decided.decision, decided.reasons, decided.assessment
    if point == "airport":
        # The airport decided: the supervisor records the fact, with the findings beside it.
        decision = Decision.ADMITTED
        reasons.append(
            Reason(
                ReasonCode.ENTRY_BY_AIR,
                f"Crossed by air ({purpose or 'airport'}), recorded by {actor.label}.",
                Decision.ADMITTED,
            )
        )
    # Core statements on the booth's path: the movement is written, never loaded, so no ORM
    # object (its bookkeeping cost more CPU than the database did); the caller gets back the
    # very values inserted.
    conn = db.connection()
    values = {
        "id": new_id(),
        "crossing_id": crossing.id,
        "traveller_id": traveller_id,
        "direction": direction.value,
        "travel_mode": travel_mode.value,
        "purpose": purpose,
        "nationality": doc.nationality,
        "document": doc.to_json(),
        "source": "mrz" if mrz is not None else "document",
        "decision": decision.value,
        "initial_decision": decision.value,
        "reasons": [
            {
                "code": r.code.value,
                "message": r.message,
                "refusal_ground": r.ground.value if r.ground else None,
            }
            for r in reasons
        ],
        "screening_status": outcome.status,
        "screening_matches": hits_json(outcome),
        "recorded_at": at,
        "recorded_by": actor.label,
        "resolution_note": None,
        "refusal_ground": (
            next((r.ground.value for r in reasons if r.ground), None)
            if decision == Decision.REFUSED
            else None
        ),
        "resolved_at": None,
        "resolved_by": None,
        "permit_id": assessment.permit_id,
        "stay_until": assessment.stay_until,
        "overstay_days": assessment.overstay_days,
        "point": point,
    }
    # The movement, where the traveller now is when it let them cross, and the permit it used:
    # one statement on PostgreSQL (one round trip), one each on SQLite.
    crossed = decision == Decision.ADMITTED
    used = crossed and assessment.permit_id is not None
    parameters = {f"m_{name}": value for name, value in values.items()}
    for statement in movement_writes(conn.dialect.name, crossed=crossed, permit=used):
        conn.execute(statement, parameters)
    if used:
        admission.forget_permit(db, values["permit_id"])
    audit.record(
        db,
        actor=actor.label,
        action="movement.record",
        subject_type="movement",
        subject_id=values["id"],
        after={
            "crossing": crossing.code,
            "traveller_id": traveller_id,
            "direction": direction.value,
            "decision": decision.value,
            "reasons": [r.code.value for r in reasons],
            "matches": [h.entry_id for h in outcome.matches],
            "permit_id": assessment.permit_id,
            "point": point,
            "recorded_at": at,
        },
    )
    return RecordedMovement(**values)


_MOVEMENT = Movement.__table__
_TRAVELLER = Traveller.__table__
# The movement's insert, its values bound as m_<column>, so the updates that go with it can
# name them (an INSERT reserves the plain column names for its own values).
_INSERT_MOVEMENT = _MOVEMENT.insert().values(
    {c.name: bindparam(f"m_{c.name}", type_=c.type) for c in _MOVEMENT.columns}
)
# Where the traveller is now: set by the movement that let them cross.
_CROSSED = (
    update(_TRAVELLER)
    .where(_TRAVELLER.c.id == bindparam("m_traveller_id"))
    .values(last_crossed=bindparam("m_direction"), last_crossed_at=bindparam("m_recorded_at"))
)
_USE_PERMIT = admission.permit_use(
    bindparam("m_permit_id"), bindparam("m_id"), bindparam("m_recorded_at")
)
_WRITES: dict[tuple[str, bool, bool], tuple[Any, ...]] = {}


def movement_writes(dialect: str, *, crossed: bool, permit: bool) -> tuple[Any, ...]:
    """The statements that record a movement (parameters m_<column>), built once each: on
    PostgreSQL the updates ride in the insert as data-modifying CTEs, which always run to
    completion, so the three writes are one statement; SQLite has no such CTE."""
    key = (dialect, crossed, permit)
    if key not in _WRITES:
        updates = [u for u, wanted in ((_CROSSED, crossed), (_USE_PERMIT, permit)) if wanted]
        if dialect == "postgresql":
            insert_ = _INSERT_MOVEMENT
            for n, u in enumerate(updates):
                insert_ = insert_.add_cte(u.cte(f"w{n}"))
            _WRITES[key] = (insert_,)
        else:
            _WRITES[key] = (_INSERT_MOVEMENT, *updates)
    return _WRITES[key]


_STAY_GRANTED = (
    select(_MOVEMENT.c.stay_until)
    .where(
        _MOVEMENT.c.traveller_id == bindparam("tid"),
        _MOVEMENT.c.direction == Direction.ENTRY.value,
        _MOVEMENT.c.decision == Decision.ADMITTED.value,
    )
    .order_by(_MOVEMENT.c.recorded_at.desc(), _MOVEMENT.c.id.desc())
    .limit(1)
)


def stay_granted(db: Session, traveller_id: str, last_crossed: str | None) -> date | None:
    """The last day of the stay the traveller's last admitted entry allowed (at any crossing of
    the installation or by air), None when they are not known to be in the country."""
    if last_crossed != Direction.ENTRY.value:
        return None
    return db.connection().execute(_STAY_GRANTED, {"tid": traveller_id}).scalar()


# The columns that hold the latest reading of a document; each movement keeps its own reading.
READING = (
    "document_type",
    "nationality",
    "surname",
    "given_names",
    "birth_date",
    "sex",
    "expiry_date",
)


def upsert_traveller(db: Session, values: dict[str, Any]) -> tuple[str, str | None, Any]:
    """INSERT the traveller, or on a known document update its latest reading; either way the
    row is locked until the transaction ends (ON CONFLICT DO UPDATE locks it on PostgreSQL;
    SQLite writers hold the whole database), and comes back as (id, last_crossed,
    last_crossed_at): where the traveller was before this movement. A concurrent booth inserting
    the same document waits for this transaction, then takes the row."""
    conn = db.connection()
    row = conn.execute(upsert_statement(conn.dialect.name, returning=True), values).one()
    return row[0], row[1], row[2]


_UPSERTS: dict[tuple[str, bool], Any] = {}


def upsert_statement(dialect: str, *, returning: bool) -> Any:
    """The upsert, built once per dialect: the values travel as parameters, so the compiled
    statement is reused (built with `.values(...)` it is keyed afresh on every call). Without
    RETURNING it takes many rows at once (traveller.bulk)."""
    if (dialect, returning) in _UPSERTS:
        return _UPSERTS[dialect, returning]
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = dialect_insert(_TRAVELLER)
    statement = statement.on_conflict_do_update(
        index_elements=["issuing_state", "document_number"],
        set_={name: statement.excluded[name] for name in READING},
    )
    if returning:
        statement = statement.returning(
            _TRAVELLER.c.id, _TRAVELLER.c.last_crossed, _TRAVELLER.c.last_crossed_at
        )
    _UPSERTS[dialect, returning] = statement
    return statement


def get_movement(db: Session, movement_id: str) -> Movement:
    movement = db.get(Movement, movement_id)
    if movement is None:
        raise errors.not_found("movement", movement_id)
    return movement


def resolve_movement(
    db: Session,
    *,
    movement_id: str,
    decision: Decision,
    note: str,
    refusal_ground: RefusalGround | None = None,
    actor: Actor,
    at: datetime | None = None,
) -> Movement:
    """A supervisor's decision on a referred movement: admitted or refused, with a note."""
    at = at or utcnow()
    movement = db.get(Movement, movement_id, with_for_update=True)
    if movement is None:
        raise errors.not_found("movement", movement_id)
    holds_truck = movement.travel_mode == TravelMode.TRUCK_DRIVER and movement.resolved_at is None
    rules.check_resolution(Decision(movement.decision), holds_truck=holds_truck)
    before = movement.decision
    if decision == Decision.REFUSED:
        ground = refusal_ground or rules.default_ground([r["code"] for r in movement.reasons])
        reason = {
            "code": ReasonCode.REFUSED_ON_REFERRAL.value,
            "message": f"Refused on referral: {rules.GROUND_TEXT[ground]}.",
            "refusal_ground": ground.value,
        }
    else:
        ground = None
        reason = {
            "code": ReasonCode.ADMITTED_ON_REFERRAL.value,
            "message": "Admitted after secondary inspection.",
            "refusal_ground": None,
        }
    movement.decision = decision.value
    movement.reasons = [*movement.reasons, reason]
    movement.resolution_note, movement.refusal_ground = note, ground.value if ground else None
    movement.resolved_at, movement.resolved_by = at, actor.label
    if decision == Decision.ADMITTED:
        traveller = db.get(Traveller, movement.traveller_id, with_for_update=True)
        assert traveller is not None
        # A later movement of the traveller already says where they are.
        if traveller.last_crossed_at is None or traveller.last_crossed_at <= at:
            traveller.last_crossed, traveller.last_crossed_at = movement.direction, at
        if movement.permit_id:
            admission.use_permit(db, permit_id=movement.permit_id, movement_id=movement.id, at=at)
    db.flush()
    if holds_truck:
        # The driver's truck waits in `held` for this resolution (cargo.arrival).
        from borderpost.cargo.arrival import driver_resolved

        driver_resolved(db, movement=movement, actor=actor)
    audit.record(
        db,
        actor=actor.label,
        action="movement.resolve",
        subject_type="movement",
        subject_id=movement.id,
        before={"decision": before},
        after={"decision": decision.value, "refusal_ground": movement.refusal_ground},
    )
    return movement


def find_traveller(db: Session, *, document_number: str, issuing_state: str) -> Traveller:
    traveller = db.scalar(
        select(Traveller).where(
            Traveller.issuing_state == issuing_state.strip().upper(),
            Traveller.document_number == document_number.strip().upper(),
        )
    )
    if traveller is None:
        raise errors.not_found("traveller with document", f"{issuing_state} {document_number}")
    return traveller


def traveller_movements(
    db: Session, traveller: Traveller, *, limit: int = 200
) -> list[tuple[Movement, str]]:
    """The traveller's movements, newest first, each with its crossing's code."""
    query = (
        select(Movement, Crossing.code)
        .join(Crossing, Crossing.id == Movement.crossing_id)
        .where(Movement.traveller_id == traveller.id)
        .order_by(Movement.recorded_at.desc(), Movement.id.desc())
        .limit(limit)
    )
    return [(m, code) for m, code in db.execute(query)]


def present_in_country(traveller: Traveller) -> bool | None:
    if traveller.last_crossed is None:
        return None
    return traveller.last_crossed == Direction.ENTRY.value


# --- the passenger wait, for the public status ------------------------------------------------

WAIT_WINDOW = timedelta(minutes=60)
CAPACITY_WINDOW = timedelta(hours=24)
CAPACITY_BUCKET = timedelta(minutes=15)
DEFAULT_REFERRAL_MINUTES = 30.0
MAX_UTILISATION = 0.95
MAX_WAIT = 240


def estimated_passenger_wait(
    db: Session, crossing: Crossing, *, now: datetime | None = None
) -> int | None:
    """Minutes a traveller arriving now can expect to wait, or None when there is no basis.

    Method (a single queue fitted to what the booths record; docs/benchmarks-traveller.md):
    1. None when the crossing is closed to passengers or nobody was processed in the last hour.
    2. Capacity: the most decisions recorded in any 15-minute slot of the last 24 hours, per
       minute. Booths work at capacity only when travellers queue, so the busiest slot is the
       best observable measure of what the hall can do; service time s = 1 / capacity.
    3. Utilisation rho = decisions per minute over the last hour / capacity (at most 0.95), and
       the queueing wait of an M/M/1 queue, Wq = s x rho / (1 - rho).
    4. Referrals: the share of the last hour's movements referred x the median minutes from
       referral to resolution of the referrals made and resolved in the last 24 hours (30 when
       none was), the expected extra time in secondary inspection.
    Rounded to whole minutes, at most 240.
    """
    now = now or utcnow()
    status = crossings.current_status(db, crossing).get(Traffic.PASSENGER)
    if status is not None and status.state == State.CLOSED:
        return None
    day_start = now - CAPACITY_WINDOW
    recent, referred = _recent_decisions(db, crossing, since=now - WAIT_WINDOW, until=now)
    if not recent:
        return None
    capacity = _busiest_slot(db, crossing, since=day_start, until=now) / (
        CAPACITY_BUCKET.total_seconds() / 60
    )
    service_minutes = 1 / capacity
    throughput = recent / (WAIT_WINDOW.total_seconds() / 60)
    rho = min(throughput / capacity, MAX_UTILISATION)
    queue_wait = service_minutes * rho / (1 - rho)
    referred_share = referred / recent
    referral_minutes = DEFAULT_REFERRAL_MINUTES
    if referred_share:
        resolved = db.execute(
            select(Movement.recorded_at, Movement.resolved_at).where(
                Movement.crossing_id == crossing.id,
                Movement.resolved_at.is_not(None),
                # Referred within the window too: a referral resolved long after (a case left
                # open for months) says nothing about today's secondary inspection.
                Movement.recorded_at > day_start,
                Movement.resolved_at > day_start,
                Movement.resolved_at <= now,
            )
        ).all()
        durations = [(b - a).total_seconds() / 60 for a, b in resolved if b >= a]
        if durations:
            referral_minutes = statistics.median(durations)
    return min(round(queue_wait + referred_share * referral_minutes), MAX_WAIT)


def _recent_decisions(
    db: Session, crossing: Crossing, *, since: datetime, until: datetime
) -> tuple[int, int]:
    """Movements recorded in (since, until], and how many of them were first referred."""
    row = db.execute(
        select(
            func.count(),
            count_if(Movement.initial_decision == Decision.REFERRED.value),
        ).where(
            Movement.crossing_id == crossing.id,
            Movement.recorded_at > since,
            Movement.recorded_at <= until,
            Movement.travel_mode != TravelMode.TRUCK_DRIVER.value,  # not at the booths
        )
    ).one()
    return int(row[0]), int(row[1])


def _busiest_slot(db: Session, crossing: Crossing, *, since: datetime, until: datetime) -> int:
    """The most movements recorded in one CAPACITY_BUCKET slot of (since, until], counted by the
    database (a day at a busy crossing is too many rows to carry into Python)."""
    seconds = cast(extract("epoch", Movement.recorded_at), BigInteger)
    slot = (seconds - int(since.timestamp())) // int(CAPACITY_BUCKET.total_seconds())
    per_slot = (
        select(func.count().label("n"))
        .where(
            Movement.crossing_id == crossing.id,
            Movement.recorded_at > since,
            Movement.recorded_at <= until,
            Movement.travel_mode != TravelMode.TRUCK_DRIVER.value,  # not at the booths
        )
        .group_by(slot)
        .subquery()
    )
    return int(db.scalar(select(func.max(per_slot.c.n))) or 0)
