"""Users, passwords and tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.models import User
from borderpost.auth.permissions import Role
from borderpost.db import utcnow

_hasher = PasswordHasher()
# Verifying against a dummy hash for unknown users keeps response times alike.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10


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


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise errors.invalid("password", f"must be at least {MIN_PASSWORD} characters")
    if len(password) > 256:
        raise errors.invalid("password", "must be at most 256 characters")


def create_user(
    db: Session, *, username: str, password: str, role: Role, country: str | None, actor: Actor
) -> User:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise errors.invalid("username", "2-64 characters: lower-case letters, digits, . _ -")
    if role == Role.LIAISON and not country:
        raise errors.invalid("country", "a liaison officer acts for a state: give its country")
    check_password_policy(password)
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


def user_for_token(db: Session, *, token: str, secret: str) -> User:
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError as exc:
        raise errors.unauthorized("The token is invalid or expired.") from exc
    user = db.get(User, claims["sub"])
    if user is None or not user.active or user.token_version != claims.get("ver"):
        raise errors.unauthorized("The token has been revoked.")
    return user
