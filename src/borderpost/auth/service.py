"""Users, passwords and tokens."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth import throttle
from borderpost.auth.models import User
from borderpost.auth.passwords import check_password_policy
from borderpost.auth.permissions import Role
from borderpost.db import utcnow
from borderpost.plain_sql import PlainStatement

_hasher = PasswordHasher()
# Verifying against a dummy hash for unknown users keeps response times alike.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# Officers at a crossing and liaisons act for a state; admin, auditor, analyst may be system-wide.
ACTS_FOR_A_STATE = frozenset(
    {Role.SUPERVISOR, Role.IMMIGRATION, Role.CUSTOMS, Role.SECURITY, Role.LIAISON}
)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: carried from the edge into every service call and audit record."""

    user_id: str
    username: str
    role: Role
    country: str | None

    @property
    def label(self) -> str:
        return f"{self.username} ({self.role.value})"


SYSTEM = Actor(user_id="system", username="system", role=Role.ADMIN, country=None)


def actor_of(user: User) -> Actor:
    return Actor(
        user_id=user.id, username=user.username, role=Role(user.role), country=user.country
    )


def create_user(
    db: Session, *, username: str, password: str, role: Role, country: str | None, actor: Actor
) -> User:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise errors.invalid("username", "2-64 characters: lower-case letters, digits, . _ -")
    if role in ACTS_FOR_A_STATE and not country:
        raise errors.invalid("country", f"a {role.value} acts for a state: give its country")
    check_password_policy(password, username=username)
    if db.scalar(select(User.id).where(User.username == username)):
        raise errors.conflict("username-taken", f"A user named {username!r} exists already.")
    user = User(username=username, password_hash=_hasher.hash(password), role=role, country=country)
    db.add(user)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="user.create",
        subject_type="user",
        subject_id=user.id,
        after={"username": username, "role": role, "country": country},
    )
    return user


def authenticate(db: Session, *, username: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.username == username.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    return user


def log_in(
    db: Session, *, username: str, password: str, address: str, limits: throttle.Limits
) -> User:
    """Check the password under throttling; raises 401 or 429. Commits nothing itself."""
    keys = [f"user:{username.strip().lower()[:64]}", f"addr:{address}"]
    lock = throttle.locked(db, keys)
    if lock is not None:
        raise _locked_error(lock)
    user = authenticate(db, username=username, password=password)
    if user is None:
        for key in keys:
            new_lock = throttle.record_failure(db, key, limits)
            if new_lock is not None:
                audit.record(
                    db,
                    actor="system",
                    action="login.locked",
                    subject_type="login",
                    subject_id=new_lock.key[:64],
                    after={"until": new_lock.until},
                )
        raise errors.unauthorized("Wrong username or password.")
    throttle.clear(db, keys[0])
    return user


def _locked_error(lock: throttle.Lock) -> errors.DomainError:
    seconds = max(1, int((lock.until - utcnow()).total_seconds()))
    error = errors.DomainError(
        f"Too many failed logins: try again in {seconds // 60 + 1} minutes.",
        slug="login-locked",
        title="Locked after repeated failures",
        status=429,
    )
    error.extra["retry_after"] = seconds
    return error


def revoke_tokens(db: Session, *, user: User, actor: Actor, reason: str) -> None:
    """Invalidate every token issued to the user so far (logout everywhere)."""
    user.token_version += 1
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="user.tokens_revoked",
        subject_type="user",
        subject_id=user.id,
        after={"reason": reason},
    )


def list_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.username)))


def issue_token(user: User, *, secret: str, minutes: int) -> str:
    now = utcnow()
    claims = {
        "sub": user.id,
        "role": user.role,
        "ver": user.token_version,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=minutes)).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a signed, unexpired token says; the user row still has to confirm it."""

    user_id: str
    role: Role
    version: int | None


# --- the token check, on every request: cached in the process, revocation still immediate -----
#
# A token's signature is checked once per process and the answer kept until the token expires.
# The user behind it is confirmed on every request by one indexed read of the account's
# `revision`, which every change to the account bumps (below): while it is the one the cached
# copy was read at, the copy is current. Every worker process reads it from the database, so a
# revocation, a disabled account or a new role or scope is refused on the very next request,
# whichever process answers. The copy is also dropped after CHECK_SECONDS, whatever happens.

CHECK_SECONDS = 5.0
_CACHE_LIMIT = 10_000  # entries per cache; the cache starts over when full


def _clock() -> float:
    return time.monotonic()


# (token, secret) -> its claims and expiry (epoch seconds)
_verified: dict[tuple[str, str], tuple[TokenClaims, int]] = {}


def token_claims(token: str, *, secret: str) -> TokenClaims:
    """Check the signature and expiry only: no database, so it can run before any session."""
    known = _verified.get((token, secret))
    if known is not None and time.time() < known[1]:
        return known[0]
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]}
        )
        found = TokenClaims(str(claims["sub"]), Role(claims.get("role")), claims.get("ver"))
    except (jwt.PyJWTError, ValueError) as exc:
        raise errors.unauthorized("The token is invalid or expired.") from exc
    if len(_verified) >= _CACHE_LIMIT:
        _verified.clear()
    _verified[(token, secret)] = (found, int(claims["exp"]))
    return found


@dataclass(frozen=True, slots=True)
class _Checked:
    """A user row as the token check read it, at `revision`, `at` seconds on _clock()."""

    actor: Actor
    active: bool
    token_version: int
    revision: int
    at: float


_checked: dict[str, _Checked] = {}  # user id -> the row as last read
# Every authenticated request runs it: a plain statement (plain_sql.py).
_REVISION = PlainStatement(select(User.revision).where(User.id == bindparam("user_id")))
_ROW = select(
    User.id,
    User.username,
    User.role,
    User.country,
    User.active,
    User.token_version,
    User.revision,
).where(User.id == bindparam("user_id"))


def _current(db: Session, user_id: str) -> _Checked | None:
    """The user's row, from the cache while its revision is the database's and it is fresh.
    Plain Core statements on the session's connection: no ORM object enters the session."""
    params = {"user_id": user_id}
    cached = _checked.get(user_id)
    if (
        cached is not None
        and _clock() - cached.at < CHECK_SECONDS
        and _REVISION.first(db, params) == (cached.revision,)
    ):
        return cached
    row = db.connection().execute(_ROW, params).first()
    if row is None:
        _checked.pop(user_id, None)
        return None
    actor = Actor(user_id=row.id, username=row.username, role=Role(row.role), country=row.country)
    checked = _Checked(actor, bool(row.active), row.token_version, row.revision, _clock())
    if len(_checked) >= _CACHE_LIMIT:
        _checked.clear()
    _checked[user_id] = checked
    return checked


def user_for_claims(db: Session, claims: TokenClaims) -> Actor:
    """The actor behind verified claims, unless the token was revoked (logout, disabled, role)."""
    user = _current(db, claims.user_id)
    if (
        user is None
        or not user.active
        or user.token_version != claims.version
        or user.actor.role != claims.role
    ):
        raise errors.unauthorized("The token has been revoked.")
    return user.actor


def user_for_token(db: Session, *, token: str, secret: str) -> Actor:
    return user_for_claims(db, token_claims(token, secret=secret))


@event.listens_for(User, "before_update")
def _revise(_mapper: object, _connection: object, user: User) -> None:
    """Every change to an account (role, country, active, password, tokens) is a new revision,
    whichever code makes it: the token check's cached copies of the account are then stale.
    Counted in SQL (`revision + 1`): nothing is read, and concurrent changes each count."""
    user.revision = User.revision + 1  # type: ignore[assignment]


def revise(user: User) -> None:
    """For a change the account's own row does not show (its list of crossings)."""
    user.revision = User.revision + 1  # type: ignore[assignment]
