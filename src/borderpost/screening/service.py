"""Screening use cases: watchlists, their imports, and the one call every other domain makes.

`screen_person` is what the traveller, cargo and group-arrival code call for every person.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.db import utcnow
from borderpost.screening import formats
from borderpost.screening.index_cache import cache_for
from borderpost.screening.matcher import DEFAULT_THRESHOLD, Match, PartMemo
from borderpost.screening.models import Watchlist, WatchlistEntry

MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class Hit:
    entry_id: str
    list: str
    name: str
    matched_alias: str
    score: float
    explanation: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    status: str  # "clear" | "possible_match"
    matches: tuple[Hit, ...]

    @property
    def is_match(self) -> bool:
        return self.status == "possible_match"


@dataclass(frozen=True, slots=True)
class PersonQuery:
    name: str
    birth_date: date | None = None
    nationality: str | None = None
    sex: str | None = None  # "M" | "F" (the MRZ's "X" weighs nothing)
    # "company": a truck's party, screened against listed entities (company-name rules) and,
    # since a trader may be one person, against listed people too
    kind: str = "person"


CLEAR = ScreeningOutcome("clear", ())


def search(
    db: Session,
    *,
    name: str,
    birth_date: date | str | None = None,
    nationality: str | None = None,
    sex: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
) -> list[Hit]:
    """Listed people whose names match, best first. A name that is not a name is a 422."""
    if not name.strip() or len(name) > MAX_NAME:
        raise errors.invalid("name", f"1 to {MAX_NAME} characters")
    found: list[Match] = []
    try:
        for index in cache_for(db).indexes(db):
            found.extend(
                index.search(
                    name,
                    birth_date=birth_date,
                    nationality=nationality,
                    sex=sex,
                    threshold=threshold,
                    limit=limit,
                )
            )
    except ValueError as exc:
        raise errors.invalid("name", str(exc)) from exc
    found.sort(key=lambda m: -m.score)
    return [
        Hit(m.entry_id, m.list_name, m.name, m.matched_alias, m.score, m.explanation)
        for m in found[:limit]
    ]


def screen_person(
    db: Session,
    *,
    name: str,
    birth_date: date | None = None,
    nationality: str | None = None,
    sex: str | None = None,
) -> ScreeningOutcome:
    """Screen one person against every watchlist at the default threshold."""
    hits = search(db, name=name, birth_date=birth_date, nationality=nationality, sex=sex)
    return ScreeningOutcome("possible_match", tuple(hits)) if hits else CLEAR


MEMO_LIMIT = 200_000  # part pairs remembered across one batch (a few tens of MB at most)


def screen_people(db: Session, people: Sequence[PersonQuery]) -> list[ScreeningOutcome]:
    """Screen many people (a bus manifest, a group arrival): the indexes are looked up once,
    a person met twice in the batch (same name, date of birth, nationality) is screened once,
    and part similarities are shared across the batch (soldiers share names)."""
    indexes = cache_for(db).indexes(db)
    outcomes: list[ScreeningOutcome] = []
    done: dict[tuple[str, date | None, str | None, str | None, str], ScreeningOutcome] = {}
    memo: PartMemo = {}
    for person in people:
        key = (person.name, person.birth_date, person.nationality, person.sex, person.kind)
        outcome = done.get(key)
        if outcome is None:
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            found: list[Match] = []
            for index in indexes:
                try:
                    found.extend(
                        index.search(
                            person.name,
                            birth_date=person.birth_date,
                            nationality=person.nationality,
                            sex=person.sex,
                            memo=memo,
                        )
                    )
                    if person.kind == "company":
                        found.extend(index.search_companies(person.name))
                except ValueError as exc:
                    raise errors.invalid("name", f"{person.name[:40]!r}: {exc}") from exc
            found.sort(key=lambda m: -m.score)
            hits = tuple(
                Hit(m.entry_id, m.list_name, m.name, m.matched_alias, m.score, m.explanation)
                for m in found[:10]
            )
            outcome = done[key] = ScreeningOutcome("possible_match", hits) if hits else CLEAR
        outcomes.append(outcome)
    return outcomes


def create_watchlist(
    db: Session, *, name: str, source: str, actor: Actor, purpose: str = "screening"
) -> Watchlist:
    if db.scalar(select(Watchlist.id).where(Watchlist.name == name)):
        raise errors.conflict("watchlist-exists", f"A watchlist named {name!r} exists already.")
    watchlist = Watchlist(name=name, source=source, purpose=purpose, version=0, entry_count=0)
    try:
        with db.begin_nested():  # the same name created at the same moment by another request
            db.add(watchlist)
            db.flush()
    except IntegrityError as exc:
        raise errors.conflict(
            "watchlist-exists", f"A watchlist named {name!r} exists already."
        ) from exc
    audit.record(
        db,
        actor=actor.label,
        action="watchlist.create",
        subject_type="watchlist",
        subject_id=watchlist.id,
        after={"name": name, "source": source, "purpose": purpose},
    )
    return watchlist


def lists_with_purpose(db: Session, purpose: str) -> set[str]:
    """The names of the watchlists kept for `purpose` (`exit_ban`), as matches name them."""
    return set(db.scalars(select(Watchlist.name).where(Watchlist.purpose == purpose)))


def get_watchlist(db: Session, watchlist_id: str) -> Watchlist:
    watchlist = db.get(Watchlist, watchlist_id)
    if watchlist is None:
        raise errors.not_found("watchlist", watchlist_id)
    return watchlist


def watchlist_by_name(db: Session, name: str) -> Watchlist | None:
    return db.scalar(select(Watchlist).where(Watchlist.name == name))


def list_watchlists(db: Session) -> list[Watchlist]:
    return list(db.scalars(select(Watchlist).order_by(Watchlist.name)))


@dataclass(frozen=True, slots=True)
class ImportResult:
    imported: int
    rejected: list[tuple[int, str]]
    warnings: list[tuple[int, str]] = field(default_factory=list)  # kept, a detail left empty


def import_watchlist(
    db: Session,
    *,
    watchlist: Watchlist,
    data: bytes,
    fmt: str | None,
    filename: str | None,
    actor: Actor,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Replace the list's entries with the file's, in the caller's transaction.

    A file that is not what it claims to be is refused whole (422, the line named) and the list is
    left as it was. Single bad rows are reported with their line numbers and the good rows land;
    a file with no good row at all is refused, so a wrong file can never empty a list.
    Two imports of one list run one after the other: the list's row is locked (and re-read) first,
    so neither loses the other's version number or deletes rows it cannot see.
    """
    db.refresh(watchlist, with_for_update=True)
    if fmt is None:
        if not filename:
            raise errors.invalid("format", "give the format or a file name to guess it from")
        try:
            fmt = formats.guess_format(filename)
        except ValueError as exc:
            raise errors.invalid("format", str(exc)) from exc
    try:
        parsed = formats.parse(data, watchlist.name, fmt)
    except formats.FormatError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        raise errors.invalid("file", f"{where}{exc.message}", slug="watchlist-format") from exc
    entries, rejected = parsed.entries, parsed.rejected
    if not entries:
        raise errors.invalid("file", "no valid entry in the file; the list is left unchanged")
    db.execute(delete(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist.id))
    rows = [
        {
            "watchlist_id": watchlist.id,
            "entry_id": e.entry_id[:100],
            "name": e.name[:500],
            "aliases": list(e.aliases),
            "birth_date": e.birth_date,
            "nationality": e.nationality,
            "sex": e.sex,
            "kind": e.kind,
        }
        for e in entries
    ]
    chunk = 5000
    for start in range(0, len(rows), chunk):
        db.execute(insert(WatchlistEntry), rows[start : start + chunk])
        if progress is not None:
            progress(min(start + chunk, len(rows)), len(rows))
    before = {"version": watchlist.version, "entries": watchlist.entry_count}
    watchlist.version += 1
    watchlist.entry_count = len(rows)
    watchlist.imported_at = utcnow()
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="watchlist.import",
        subject_type="watchlist",
        subject_id=watchlist.id,
        before=before,
        after={
            "version": watchlist.version,
            "entries": len(rows),
            "rejected": len(rejected),
            "warnings": len(parsed.warnings),
            "format": fmt,
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )
    return ImportResult(imported=len(rows), rejected=rejected, warnings=parsed.warnings)
