"""Scope of a user: which crossings they may act on and read persons of.

- supervisor, immigration, customs, security: the crossings of their own country;
- liaison (an official of the neighbouring state): the crossings whose neighbour is their country;
- admin, auditor, analyst: national, the crossings of their country, or every crossing when they
  have no country (headquarters of a system that serves several states).
A list of crossings on the user narrows any of these further. Outside the scope: 403
`/out-of-scope`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, exists, select
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.auth.models import UserCrossing
from borderpost.auth.permissions import Role
from borderpost.auth.service import Actor
from borderpost.crossing.models import Crossing
from borderpost.plain_sql import PlainStatement

FIELD_ROLES = frozenset({Role.SUPERVISOR, Role.IMMIGRATION, Role.CUSTOMS, Role.SECURITY})
# A user of these roles must have a country: without one they would act for no state.
COUNTRY_REQUIRED = FIELD_ROLES | {Role.LIAISON}


@dataclass(frozen=True, slots=True)
class CrossingRef:
    """What the scope rule needs of a crossing (plain values: nothing enters the session)."""

    id: str
    code: str
    country: str
    neighbour_country: str


def covers(
    *, role: Role, country: str | None, listed: frozenset[str] | None, crossing: CrossingRef
) -> bool:
    """The rule, pure: `listed` is the user's crossing ids, None when the user has no list."""
    if listed is not None and crossing.id not in listed:
        return False
    if role == Role.LIAISON:
        return country is not None and crossing.neighbour_country == country
    if role in FIELD_ROLES:
        return country is not None and crossing.country == country
    return country is None or crossing.country == country


def crossing_columns() -> Select:
    """The columns of CrossingRef, for the edge's queries (columns, never ORM objects: an object
    loaded here would sit in the session's identity map, and a later locking read of the same
    crossing by the route would then be given the stale copy)."""
    return select(Crossing.id, Crossing.code, Crossing.country, Crossing.neighbour_country)


def out_of_scope(actor: Actor, code: str) -> errors.DomainError:
    return errors.forbidden(
        f"The crossing {code} is outside the scope of {actor.username} "
        f"({actor.role.value}, {actor.country or 'no country'}).",
        slug="out-of-scope",
    )


def guarded(query: Select) -> PlainStatement:
    """A query of crossing_columns() made ready for `require`: it also reads whether the user
    has a list of crossings and whether this crossing is on it (bound as `scope_user`). Build it
    once, at import: it runs on every scoped request, as a plain statement (plain_sql.py)."""
    limited = exists().where(UserCrossing.user_id == bindparam("scope_user"))
    listed = exists().where(
        UserCrossing.user_id == bindparam("scope_user"), UserCrossing.crossing_id == Crossing.id
    )
    return PlainStatement(query.add_columns(limited, listed).limit(1))


def require(
    db: Session, actor: Actor, query: PlainStatement, params: dict[str, object]
) -> CrossingRef | None:
    """403 unless the crossing `query` (see `guarded`) selects with `params` is in the actor's
    scope. Nothing found: nothing to refuse (None), the route answers 404 itself."""
    row = query.first(db, {**params, "scope_user": actor.user_id})
    if row is None:
        return None
    crossing = CrossingRef(row[0], row[1], row[2], row[3])
    ids = (frozenset({crossing.id}) if row[5] else frozenset()) if row[4] else None
    if not covers(role=actor.role, country=actor.country, listed=ids, crossing=crossing):
        raise out_of_scope(actor, crossing.code)
    return crossing


_BY_CODE = guarded(crossing_columns().where(Crossing.code == bindparam("code")))


def require_crossing(db: Session, actor: Actor, code: str) -> None:
    """For a route that names its crossing elsewhere than in its path."""
    require(db, actor, _BY_CODE, {"code": code.upper()})


def listed_crossings(db: Session, user_id: str) -> frozenset[str] | None:
    ids = frozenset(
        db.scalars(select(UserCrossing.crossing_id).where(UserCrossing.user_id == user_id))
    )
    return ids or None


def in_scope(db: Session, actor: Actor, crossing_ids: Iterable[str]) -> set[str]:
    """Of these crossings, the ids the actor may see (for lists that span crossings)."""
    wanted = set(crossing_ids)
    if not wanted:
        return set()
    listed = listed_crossings(db, actor.user_id)
    rows = db.execute(crossing_columns().where(Crossing.id.in_(wanted)))
    return {
        row[0]
        for row in rows
        if covers(
            role=actor.role,
            country=actor.country,
            listed=listed,
            crossing=CrossingRef(row[0], row[1], row[2], row[3]),
        )
    }


def require_any(db: Session, actor: Actor, crossing_ids: Iterable[str]) -> set[str]:
    """For a record that spans crossings (a traveller): the crossings in scope, 403 if none."""
    visible = in_scope(db, actor, crossing_ids)
    if not visible:
        raise errors.forbidden(
            f"No crossing of this record is in the scope of {actor.username}.", slug="out-of-scope"
        )
    return visible


def require_country(actor: Actor, country: str) -> None:
    """For what belongs to a state rather than a crossing (a new crossing, a user account)."""
    if actor.country is not None and actor.country != country:
        raise errors.forbidden(
            f"{country} is outside the scope of {actor.username} ({actor.country}).",
            slug="out-of-scope",
        )
