"""Request edges: who is calling, and one transaction per request, committed here and only here.

Routes declare what they need: `Depends(reading(Permission.X))` gives a read session and the actor;
`Depends(writing(Permission.X))` gives a write transaction that the route ends with `tx.done(...)`,
which stores the Idempotency-Key response beside the write and commits before answering, so a 2xx
means the write is on disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from fastapi import Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUploadFile

from borderpost import errors, idempotency, scoping
from borderpost.audit import access
from borderpost.audit import service as audit
from borderpost.auth import service as auth_service
from borderpost.auth import throttle
from borderpost.auth.models import User
from borderpost.auth.permissions import Permission, has_permission
from borderpost.auth.service import Actor, TokenClaims
from borderpost.config import Settings
from borderpost.db import Database

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)

# Ending a session (rollback, return of the connection) is a database round trip, so it runs in a
# thread, but not in the routes' pool: a failed write's rollback queued behind the requests that
# wait for its locks would hold those locks until they time out (SQLite's write lock, rows).
_CLEANUP_THREADS = 16
_cleanup_limiter: RunVar[anyio.CapacityLimiter] = RunVar("borderpost_cleanup_limiter")


async def in_cleanup_thread(work: Callable[[], object]) -> None:
    try:
        limiter = _cleanup_limiter.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(_CLEANUP_THREADS)
        _cleanup_limiter.set(limiter)
    await anyio.to_thread.run_sync(work, limiter=limiter)


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def database_of(request: Request) -> Database:
    return request.app.state.db


def _claims(request: Request, token: str | None, permission: Permission) -> TokenClaims:
    """401 and 403 from the token alone, before any session is opened."""
    if not token:
        raise errors.unauthorized()
    claims = auth_service.token_claims(token, secret=settings_of(request).secret_key)
    if not has_permission(claims.role, permission):
        raise errors.forbidden(
            f"The role {claims.role.value!r} may not do this ({permission.value})."
        )
    return claims


Guard = Callable[[Session, Actor], None]


def _scope_guard(request: Request, permission: Permission) -> Guard:
    """Keep the route to the caller's scope (scoping.py), checked when the session opens."""
    return lambda db, actor: _guarded(request, db, actor, permission)


def _guarded(request: Request, db: Session, actor: Actor, permission: Permission) -> None:
    checked = scoping.check_route(db, actor, permission, request.path_params)
    accesses: access.Accesses | None = getattr(request.state, "accesses", None)
    if accesses is not None:
        accesses.user_id, accesses.username, accesses.role = (
            actor.user_id,
            actor.username,
            actor.role,
        )
        accesses.crossing_id = checked
        access.watch(db, accesses)


# Each hop to the thread pool costs more CPU than most queries on the hot paths, so a request
# opens its session where it first needs it: in the endpoint's own thread. A route that returns
# ORM objects is serialised after the endpoint, so readers are closed by the dependency.


class _Confirmed:
    """A session opened on first use, where the user row first confirms the token (revocation)."""

    def __init__(self, database: Database, claims: TokenClaims, guard: Guard) -> None:
        self._database, self._claims, self._guard = database, claims, guard
        self._db: Session | None = None
        self._actor: Actor | None = None

    def _new_session(self) -> Session:
        raise NotImplementedError

    def _confirmed(self, db: Session, actor: Actor) -> None:
        """What else opening does, in the new session (a writer claims its Idempotency-Key)."""

    @property
    def db(self) -> Session:
        if self._db is None:
            db = self._new_session()
            try:
                actor = auth_service.actor_of(auth_service.user_for_claims(db, self._claims))
                self._guard(db, actor)
                self._confirmed(db, actor)
            except BaseException:
                db.rollback()
                db.close()
                raise
            self._db, self._actor = db, actor
        return self._db

    @property
    def actor(self) -> Actor:
        self.db  # noqa: B018 - opening confirms the actor
        assert self._actor is not None
        return self._actor

    def confirm(self) -> None:
        """For a route that needs no database: the user row must still confirm the token."""
        self.db  # noqa: B018

    @property
    def opened(self) -> bool:
        return self._db is not None


class Reader(_Confirmed):
    """A read session and the actor."""

    def _new_session(self) -> Session:
        return self._database.reader()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()  # a read-only transaction: returning the connection rolls it back


def _route_of(request: Request) -> str:
    template = getattr(request.scope.get("route"), "path", None)
    return access.route_of(request.method, request.url.path, template, request.path_params)


def reading(permission: Permission) -> Callable[..., Any]:
    # Scope "function": the part after `yield` runs once the answer is rendered and before it is
    # sent, so the persons it read are in the access log before they leave (or it is a 5xx).
    async def opened(
        request: Request, token: str | None = Depends(oauth2)
    ) -> AsyncIterator[Reader]:
        claims = _claims(request, token, permission)
        request.state.accesses = access.Accesses("", "", "", _route_of(request))
        reader = Reader(database_of(request), claims, _scope_guard(request, permission))
        try:
            yield reader
            if reader.opened and request.state.accesses.seen:
                await anyio.to_thread.run_sync(
                    access.write, database_of(request), request.state.accesses
                )
        finally:
            if reader.opened:
                await in_cleanup_thread(reader.close)

    async def dependency(reader: Reader = Depends(opened, scope="function")) -> Reader:
        return reader

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


async def public_reader(request: Request) -> AsyncIterator[Session]:
    db = database_of(request).reader()
    try:
        yield db
    finally:
        if db.in_transaction():  # a cached public answer never touched the database
            await in_cleanup_thread(db.close)
        else:
            db.close()


class Tx(_Confirmed):
    """A write transaction, opened on first use in the endpoint's thread and ended by `done()`.

    Opening confirms the token against the user row, in the transaction that holds the work, or,
    with an Idempotency-Key, before it: the claim of the key is a commit of its own.
    """

    def __init__(
        self,
        request: Request,
        claims: TokenClaims,
        idempotency_key: str | None,
        body: bytes,
        permission: Permission,
    ) -> None:
        super().__init__(database_of(request), claims, _scope_guard(request, permission))
        self.settings = settings_of(request)
        self._key, self._method, self._path, self._body = (
            idempotency_key,
            request.method,
            request.url.path,
            body,
        )
        self.claim: idempotency.Claim | None = None
        self.committed = False

    def _new_session(self) -> Session:
        return self._database.writer()

    def _confirmed(self, db: Session, actor: Actor) -> None:
        if self._key is None:
            return
        self.claim = idempotency.claim(
            db,
            user_id=actor.user_id,
            key=self._key,
            fingerprint=idempotency.request_hash(self._method, self._path, self._body),
            policy=idempotency.Policy(
                keep=timedelta(hours=self.settings.idempotency_hours),
                lease=timedelta(seconds=self.settings.idempotency_lease_seconds),
            ),
        )

    def done(
        self, payload: BaseModel | dict[str, Any] | list[Any], status_code: int = 201
    ) -> Response:
        """Commit the work and answer; the idempotent response is stored in the same commit."""
        if isinstance(payload, BaseModel):  # pydantic's own encoder: the same JSON, faster
            body = payload.model_dump_json(by_alias=True).encode()
        else:
            body = JSONResponse(jsonable_encoder(payload)).body
        response = Response(body, status_code=status_code, media_type="application/json")
        db = self.db
        if self.claim is not None:
            idempotency.complete(db, self.claim, status=status_code, body=bytes(response.body))
        audit.commit(db)
        self.committed = True
        db.close()
        return response

    def abandon(self) -> None:
        """The request failed: roll the work back and free the key for a retry."""
        db = self._db
        if db is None or self.committed:
            return
        try:
            db.rollback()
            if self.claim is not None:
                idempotency.release(db, self.claim)
        finally:
            db.close()


async def _body_for_fingerprint(request: Request) -> bytes:
    """The request's content, for the Idempotency-Key fingerprint.

    A multipart form has been streamed into the parsed form already, so it is hashed field by field.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return await request.body()
    digest = hashlib.sha256()
    form = await request.form()
    for name, value in form.multi_items():
        digest.update(name.encode() + b"\0")
        if isinstance(value, StarletteUploadFile):
            await value.seek(0)
            digest.update((value.filename or "").encode() + b"\0" + await value.read())
            await value.seek(0)
        else:
            digest.update(value.encode())
        digest.update(b"\0")
    return digest.digest()


def writing(permission: Permission) -> Callable[..., AsyncIterator[Tx]]:
    async def dependency(
        request: Request, token: str | None = Depends(oauth2)
    ) -> AsyncIterator[Tx]:
        claims = _claims(request, token, permission)
        raw_key = request.headers.get("idempotency-key")
        key = idempotency.validate_key(raw_key) if raw_key is not None else None
        body = await _body_for_fingerprint(request) if key is not None else b""
        tx = Tx(request, claims, key, body, permission)
        try:
            yield tx
        finally:
            if tx.opened and not tx.committed:
                await in_cleanup_thread(tx.abandon)

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def log_in(request: Request, username: str, password: str) -> User:
    """The throttled login of the API and the pages; raises 401 or 429.

    Failures are committed too: they must count even though the request is refused.
    """
    db = database_of(request).writer()
    settings = settings_of(request)
    limits = throttle.Limits(
        per_account=settings.login_max_failures,
        per_address=settings.login_max_failures_per_address,
        lockout=timedelta(minutes=settings.login_lockout_minutes),
    )
    address = request.client.host if request.client else "unknown"
    try:
        user = auth_service.log_in(
            db, username=username, password=password, address=address, limits=limits
        )
        db.commit()
        return user
    except errors.DomainError:
        db.commit()
        raise
    finally:
        db.close()
