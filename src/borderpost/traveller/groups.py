"""Group arrivals: hundreds of people at once, accepted while the crossing is closed.

Persons are registered in batches of up to 5,000, all or nothing, each person screened (one
`screen_people` call per batch) and inserted in bulk. Custody changes and handovers are recorded
person by person with one guarded UPDATE, so a person is handed over once only even when two
requests race; the counts are recomputed from the rows and compared with the counters the group
keeps (`reconciled`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.crossing.models import Crossing
from borderpost.db import count_if, utcnow
from borderpost.ids import new_id
from borderpost.screening import service as screening
from borderpost.screening.service import PersonQuery
from borderpost.traveller import rules
from borderpost.traveller.models import GroupArrival, GroupBatch, GroupHandover, GroupPerson
from borderpost.traveller.rules import Custody, GroupCategory
from borderpost.traveller.service import hits_json, screening_name

MAX_BATCH = 5000
_INSERT_PERSON = insert(GroupPerson.__table__)


@dataclass(frozen=True, slots=True)
class NewPerson:
    surname: str
    given_names: str = ""
    birth_date: date | None = None
    nationality: str | None = None
    document: dict[str, Any] | None = None
    rank: str | None = None
    unit: str | None = None
    wounded: bool = False
    custody_status: Custody = Custody.IN_CUSTODY
    items_surrendered: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    in_custody: int
    in_hospital: int
    released: int
    handed_over: int
    wounded: int
    possible_matches: int
    reconciled: bool


@dataclass(frozen=True, slots=True)
class Registration:
    batch: GroupBatch
    person_ids: list[str]
    possible_matches: list[tuple[int, str, NewPerson, list[dict[str, Any]]]]


def create_group_arrival(
    db: Session,
    *,
    crossing: Crossing,
    category: GroupCategory,
    description: str,
    arrived_at: datetime,
    actor: Actor,
    at: datetime | None = None,
) -> GroupArrival:
    """Open a group arrival. Accepted while the crossing is closed: that is when they happen."""
    group = GroupArrival(
        crossing_id=crossing.id,
        category=category.value,
        description=description,
        arrived_at=arrived_at,
        registered=0,
        handed_over=0,
        created_at=at or utcnow(),
        created_by=actor.label,
    )
    db.add(group)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="group_arrival.create",
        subject_type="group_arrival",
        subject_id=group.id,
        after={"crossing": crossing.code, "category": category.value, "arrived_at": arrived_at},
    )
    return group


def get_group_arrival(db: Session, group_id: str, *, lock: bool = False) -> GroupArrival:
    # Locking re-reads the row: the route may have loaded it before the lock, and its counters
    # (kept beside the rows they count) must be the ones the previous holder of the lock left.
    group = db.get(GroupArrival, group_id, with_for_update=lock, populate_existing=lock)
    if group is None:
        raise errors.not_found("group arrival", group_id)
    return group


def list_group_arrivals(db: Session, *, crossing: Crossing) -> list[GroupArrival]:
    query = select(GroupArrival).where(GroupArrival.crossing_id == crossing.id)
    return list(db.scalars(query.order_by(GroupArrival.arrived_at.desc(), GroupArrival.id.desc())))


def register_persons(
    db: Session,
    *,
    group: GroupArrival,
    persons: Sequence[NewPerson],
    source: str = "json",
    actor: Actor,
    at: datetime | None = None,
) -> Registration:
    """Register a batch: every person screened, all inserted in bulk, one audit record."""
    if not persons:
        raise errors.invalid("persons", "the batch is empty: give 1 to 5,000 persons")
    if len(persons) > MAX_BATCH:
        raise errors.invalid(
            "persons", f"{len(persons):,} persons in one batch; at most {MAX_BATCH:,}"
        )
    at = at or utcnow()
    # Lock the group first: concurrent batches then serialise on it and its counter stays exact.
    group = get_group_arrival(db, group.id, lock=True)
    outcomes = screening.screen_people(
        db,
        [
            PersonQuery(screening_name(p.given_names, p.surname), p.birth_date, p.nationality)
            for p in persons
        ],
    )
    batch = GroupBatch(
        group_arrival_id=group.id,
        registered=len(persons),
        possible_matches=sum(1 for o in outcomes if o.is_match),
        source=source,
        registered_at=at,
        registered_by=actor.label,
    )
    db.add(batch)
    db.flush()
    rows: list[dict[str, Any]] = []
    matched: list[tuple[int, str, NewPerson, list[dict[str, Any]]]] = []
    for index, (person, outcome) in enumerate(zip(persons, outcomes, strict=True)):
        person_id = new_id()
        hits = hits_json(outcome)
        rows.append(
            {
                "id": person_id,
                "group_arrival_id": group.id,
                "batch_id": batch.id,
                "surname": person.surname,
                "given_names": person.given_names,
                "birth_date": person.birth_date,
                "nationality": person.nationality,
                "document": person.document,
                "rank": person.rank,
                "unit": person.unit,
                "wounded": person.wounded,
                "items_surrendered": person.items_surrendered,
                "screening_status": outcome.status,
                "screening_matches": hits,
                "custody": person.custody_status.value,
                "custody_since": at,
                "handover_id": None,
            }
        )
        if outcome.is_match:
            matched.append((index, person_id, person, hits))
    # One executemany of the table's INSERT: no ORM bookkeeping per row (5,000 rows a call).
    db.connection().execute(_INSERT_PERSON, rows)
    group.registered += len(rows)
    db.flush()
    ids = [r["id"] for r in rows]
    audit.record(
        db,
        actor=actor.label,
        action="group_arrival.register_persons",
        subject_type="group_batch",
        subject_id=batch.id,
        after={
            "group_arrival_id": group.id,
            "registered": len(rows),
            "possible_matches": [pid for _, pid, _, _ in matched],
            "source": source,
            "person_ids_sha256": hashlib.sha256("\n".join(ids).encode()).hexdigest(),
            "registered_total": group.registered,
        },
    )
    return Registration(batch, ids, matched)


def _statuses(db: Session, group: GroupArrival, person_ids: Sequence[str]) -> dict[str, Custody]:
    found: dict[str, Custody] = {}
    for start in range(0, len(person_ids), 900):
        chunk = person_ids[start : start + 900]
        for pid, custody in db.execute(
            select(GroupPerson.id, GroupPerson.custody).where(
                GroupPerson.group_arrival_id == group.id, GroupPerson.id.in_(chunk)
            )
        ):
            found[pid] = Custody(custody)
    unknown = [pid for pid in person_ids if pid not in found]
    if unknown:
        error = errors.invalid(
            "person_ids",
            f"{len(unknown)} id(s) are not persons of this group arrival: "
            f"{', '.join(unknown[:10])}{', ...' if len(unknown) > 10 else ''}",
        )
        error.extra["person_ids"] = unknown
        raise error
    return found


def _move(
    db: Session,
    group: GroupArrival,
    person_ids: Sequence[str],
    *,
    allowed_from: Sequence[Custody],
    values: dict[str, Any],
) -> None:
    """One guarded UPDATE per chunk: a row another request moved first is not moved again."""
    moved = 0
    for start in range(0, len(person_ids), 900):
        chunk = person_ids[start : start + 900]
        result = db.execute(
            update(GroupPerson)
            .where(
                GroupPerson.group_arrival_id == group.id,
                GroupPerson.id.in_(chunk),
                GroupPerson.custody.in_([c.value for c in allowed_from]),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        moved += result.rowcount
    if moved != len(person_ids):
        # Another request changed some of them between our read and our write: refuse it all.
        raise errors.conflict(
            "already-handed-over"
            if values.get("custody") == Custody.HANDED_OVER
            else "custody-transition",
            f"{len(person_ids) - moved} of the persons changed status meanwhile; nothing was "
            "recorded.",
        )


def hand_over(
    db: Session,
    *,
    group: GroupArrival,
    person_ids: Sequence[str],
    to: str,
    handed_over_at: datetime,
    note: str | None,
    actor: Actor,
    at: datetime | None = None,
) -> GroupHandover:
    """Hand persons over, person by person; any one already handed over refuses the whole call."""
    at = at or utcnow()
    group = get_group_arrival(db, group.id, lock=True)
    if handed_over_at < group.arrived_at:
        raise errors.invalid("handed_over_at", "is before the group arrived")
    current = _statuses(db, group, person_ids)
    refusal = rules.refuse_custody_change(current, Custody.HANDED_OVER)
    if refusal is not None:
        raise refusal
    handover = GroupHandover(
        group_arrival_id=group.id,
        handed_to=to,
        handed_over_at=handed_over_at,
        persons=len(person_ids),
        note=note,
        recorded_at=at,
        recorded_by=actor.label,
    )
    db.add(handover)
    db.flush()
    _move(
        db,
        group,
        person_ids,
        allowed_from=[Custody.IN_CUSTODY, Custody.IN_HOSPITAL],
        values={
            "custody": Custody.HANDED_OVER.value,
            "custody_since": handed_over_at,
            "handover_id": handover.id,
        },
    )
    group.handed_over += len(person_ids)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="group_arrival.handover",
        subject_type="group_handover",
        subject_id=handover.id,
        after={
            "group_arrival_id": group.id,
            "to": to,
            "handed_over_at": handed_over_at,
            "person_ids": list(person_ids),
            "handed_over_total": group.handed_over,
        },
    )
    return handover


def change_custody(
    db: Session,
    *,
    group: GroupArrival,
    person_ids: Sequence[str],
    status: Custody,
    changed_at: datetime,
    note: str | None,
    actor: Actor,
) -> int:
    """Move persons to hospital, back into custody, or release them."""
    if status == Custody.HANDED_OVER:
        raise errors.invalid("status", "record a handover instead")
    group = get_group_arrival(db, group.id, lock=True)
    current = _statuses(db, group, person_ids)
    refusal = rules.refuse_custody_change(current, status)
    if refusal is not None:
        raise refusal
    allowed = [c for c, targets in rules.CUSTODY_TRANSITIONS.items() if status in targets]
    _move(
        db,
        group,
        person_ids,
        allowed_from=allowed,
        values={"custody": status.value, "custody_since": changed_at},
    )
    audit.record(
        db,
        actor=actor.label,
        action="group_arrival.custody_change",
        subject_type="group_arrival",
        subject_id=group.id,
        after={
            "status": status.value,
            "changed_at": changed_at,
            "person_ids": list(person_ids),
            "note": note,
        },
    )
    return len(person_ids)


def counts(db: Session, group: GroupArrival) -> Counts:
    """Counts by custody status, from the rows, checked against the group's counters."""
    by_status = {c.value: 0 for c in Custody}
    wounded = matches = 0
    for custody, n, n_wounded, n_matches in db.execute(
        select(
            GroupPerson.custody,
            func.count(),
            count_if(GroupPerson.wounded.is_(True)),
            count_if(GroupPerson.screening_status == "possible_match"),
        )
        .where(GroupPerson.group_arrival_id == group.id)
        .group_by(GroupPerson.custody)
    ):
        by_status[custody] = n
        wounded += n_wounded or 0
        matches += n_matches or 0
    total = sum(by_status.values())
    handovers = db.scalar(
        select(func.coalesce(func.sum(GroupHandover.persons), 0)).where(
            GroupHandover.group_arrival_id == group.id
        )
    )
    reconciled = (
        total == group.registered
        and by_status[Custody.HANDED_OVER] == group.handed_over == handovers
    )
    return Counts(
        total=total,
        in_custody=by_status[Custody.IN_CUSTODY],
        in_hospital=by_status[Custody.IN_HOSPITAL],
        released=by_status[Custody.RELEASED],
        handed_over=by_status[Custody.HANDED_OVER],
        wounded=wounded,
        possible_matches=matches,
        reconciled=reconciled,
    )


def list_persons(
    db: Session,
    *,
    group: GroupArrival,
    limit: int,
    after_id: str | None = None,
    custody: Custody | None = None,
) -> list[GroupPerson]:
    query = select(GroupPerson).where(GroupPerson.group_arrival_id == group.id)
    if custody is not None:
        query = query.where(GroupPerson.custody == custody.value)
    if after_id:
        query = query.where(GroupPerson.id > after_id)
    return list(db.scalars(query.order_by(GroupPerson.id).limit(limit)))


def handovers_of(db: Session, group: GroupArrival) -> list[GroupHandover]:
    query = select(GroupHandover).where(GroupHandover.group_arrival_id == group.id)
    return list(db.scalars(query.order_by(GroupHandover.handed_over_at, GroupHandover.id)))
