"""User administration: create, scope, reset a password, disable and re-enable.

Used by the CLI (`borderpost users ...`), the admin page and the API. An administrator with a
country manages the accounts of that country only; one without manages every account.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth import scope, service
from borderpost.auth.models import User, UserCrossing
from borderpost.auth.passwords import check_password_policy
from borderpost.auth.permissions import Role
from borderpost.auth.service import Actor
from borderpost.crossing.models import Crossing


def _manage(actor: Actor, country: str | None) -> None:
    """An administrator of a state manages that state's accounts, never a system-wide one."""
    if actor.country is not None and country != actor.country:
        raise errors.forbidden(
            f"{actor.username} administers the accounts of {actor.country} only.",
            slug="out-of-scope",
        )


def get_user(db: Session, key: str, *, actor: Actor) -> User:
    """By id or by username; 404 for an account outside the actor's scope as for none."""
    user = db.get(User, key[:32]) or db.scalar(
        select(User).where(User.username == key.strip().lower()[:64])
    )
    if user is None or (actor.country is not None and user.country != actor.country):
        raise errors.not_found("user", key)
    return user


def _crossings_for(
    db: Session, *, role: Role, country: str | None, codes: Iterable[str]
) -> list[Crossing]:
    """The crossings named, each one that a user of this role and country could act on."""
    wanted = sorted({c.strip().upper() for c in codes if c.strip()})
    if not wanted:
        return []
    found = {c.code: c for c in db.scalars(select(Crossing).where(Crossing.code.in_(wanted)))}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise errors.invalid("crossings", f"no such crossing: {', '.join(missing)}")
    for crossing in found.values():
        ref = scope.CrossingRef(
            crossing.id, crossing.code, crossing.country, crossing.neighbour_country
        )
        if not scope.covers(role=role, country=country, listed=None, crossing=ref):
            raise errors.invalid(
                "crossings",
                f"{crossing.code} is not a crossing a {role.value} of "
                f"{country or 'no country'} acts on",
            )
    return [found[c] for c in wanted]


def _replace_crossings(db: Session, user: User, crossings: list[Crossing]) -> None:
    db.execute(delete(UserCrossing).where(UserCrossing.user_id == user.id))
    db.add_all(UserCrossing(user_id=user.id, crossing_id=c.id) for c in crossings)
    service.revise(user)
    db.flush()


def crossings_of(db: Session, user_ids: Iterable[str]) -> dict[str, list[str]]:
    """The codes of each user's listed crossings (absent: the user has no list)."""
    rows = db.execute(
        select(UserCrossing.user_id, Crossing.code)
        .join(Crossing, Crossing.id == UserCrossing.crossing_id)
        .where(UserCrossing.user_id.in_(list(user_ids)))
        .order_by(Crossing.code)
    )
    result: dict[str, list[str]] = defaultdict(list)
    for user_id, code in rows:
        result[user_id].append(code)
    return dict(result)


def create_user(
    db: Session,
    *,
    username: str,
    password: str,
    role: Role,
    country: str | None,
    crossings: Sequence[str] = (),
    actor: Actor,
) -> User:
    _manage(actor, country)
    listed = _crossings_for(db, role=role, country=country, codes=crossings)
    user = service.create_user(
        db, username=username, password=password, role=role, country=country, actor=actor
    )
    if listed:
        _replace_crossings(db, user, listed)
        audit.record(
            db,
            actor=actor.label,
            action="user.scope",
            subject_type="user",
            subject_id=user.id,
            after={"country": country, "crossings": [c.code for c in listed]},
        )
    return user


def set_scope(
    db: Session, *, user: User, country: str | None, crossings: Sequence[str], actor: Actor
) -> User:
    """The user's country and crossings (none listed: every crossing of that country)."""
    _manage(actor, user.country)
    _manage(actor, country)
    role = Role(user.role)
    if role in service.ACTS_FOR_A_STATE and not country:
        raise errors.invalid("country", f"a {role.value} acts for a state: give its country")
    listed = _crossings_for(db, role=role, country=country, codes=crossings)
    before = {"country": user.country, "crossings": crossings_of(db, [user.id]).get(user.id, [])}
    after = {"country": country, "crossings": [c.code for c in listed]}
    if before == after:
        raise errors.conflict("no-change", "The user has this scope already.")
    user.country = country
    _replace_crossings(db, user, listed)
    audit.record(
        db,
        actor=actor.label,
        action="user.scope",
        subject_type="user",
        subject_id=user.id,
        before=before,
        after=after,
    )
    return user


def reset_password(db: Session, *, user: User, password: str, actor: Actor) -> User:
    """A new password; every token and session of the user ends."""
    _manage(actor, user.country)
    check_password_policy(password, username=user.username)
    user.password_hash = service._hasher.hash(password)
    user.token_version += 1
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="user.password_reset",
        subject_type="user",
        subject_id=user.id,
    )
    return user


def disable_user(db: Session, *, user: User, actor: Actor) -> User:
    _manage(actor, user.country)
    if not user.active:
        raise errors.conflict("no-change", "The user is already disabled.")
    if user.role == Role.ADMIN:
        # Locks the active administrators' rows: two administrators disabling each other at the
        # same moment cannot both pass (on SQLite the write lock already serialises them).
        admins = db.scalars(
            select(User.id).where(User.role == Role.ADMIN.value, User.active).with_for_update()
        ).all()
        if len(admins) <= 1:
            raise errors.conflict("last-admin", "The last active administrator cannot be disabled.")
    user.active = False
    user.token_version += 1
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="user.disable",
        subject_type="user",
        subject_id=user.id,
        before={"active": True},
        after={"active": False},
    )
    return user


def enable_user(db: Session, *, user: User, actor: Actor) -> User:
    _manage(actor, user.country)
    if user.active:
        raise errors.conflict("no-change", "The user is already active.")
    user.active = True
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="user.enable",
        subject_type="user",
        subject_id=user.id,
        before={"active": False},
        after={"active": True},
    )
    return user


def list_users(db: Session, *, actor: Actor) -> list[User]:
    query = select(User).order_by(User.username)
    if actor.country is not None:
        query = query.where(User.country == actor.country)
    return list(db.scalars(query))
