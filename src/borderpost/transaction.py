"""Request edges: who is calling, and one transaction per request, committed here and only here.

Routes declare what they need: `Depends(reading(Permission.X))` gives a read session and the actor;
`Depends(writing(Permission.X))` gives a write transaction that the route ends with `tx.done(...)`,
which stores the Idempotency-Key response beside the write and commits before answering, so a 2xx
means the write is on disk. A route that renders its own answer ends its reader the same way,
`r.done(...)`, in its own thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from fastapi.security import OAuth2PasswordBearer
from fastapi.security.base import SecurityBase
from fastapi.security.utils import get_authorization_scheme_param
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

# The bearer token's scheme as the OpenAPI document names it. The edges below read the token
# themselves and present this same scheme, so each route still documents its security.
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


def _bearer(request: Request) -> str | None:
    """The token of an `Authorization: Bearer` header, as `oauth2` reads it (None without)."""
    authorization = request.headers.get("Authorization")
    scheme, token = get_authorization_scheme_param(authorization)
    if not authorization or scheme.lower() != "bearer":
        return None
    return token


def _claims(request: Request, permission: Permission) -> TokenClaims:
    """401 and 403 from the token alone, before any session is opened."""
    token = _bearer(request)
    if not token:
        raise errors.unauthorized()
    claims = auth_service.token_claims(token, secret=settings_of(request).secret_key)
    if not has_permission(claims.role, permission):
        raise errors.forbidden(
            f"The role {claims.role.value!r} may not do this ({permission.value})."
        )
    return claims


def _render(payload: BaseModel | dict[str, Any] | list[Any], status_code: int) -> Response:
    """The JSON FastAPI would send for the payload, rendered here, in the route's thread."""
    if isinstance(payload, BaseModel):  # pydantic's own encoder: the same JSON, faster
        body = payload.model_dump_json(by_alias=True).encode()
    else:
        body = JSONResponse(jsonable_encoder(payload)).body
    return Response(body, status_code=status_code, media_type="application/json")


def _route_of(request: Request) -> str:
    template = getattr(request.scope.get("route"), "path", None)
    return access.route_of(request.method, request.url.path, template, request.path_params)


# Each hop to the thread pool costs more CPU than most queries on the hot paths, so a request
# opens its session where it first needs it: in the endpoint's own thread. A route that returns
# ORM objects is serialised after the endpoint, so its reader is closed after it, by the edge; a
# route that renders its own answer (`Reader.done`) closes it in its own thread.


class _Confirmed:
    """A session opened on first use, where the user row first confirms the token (revocation),
    and the route is kept to the caller's scope (scoping.py)."""

    def __init__(self, request: Request, claims: TokenClaims, permission: Permission) -> None:
        self._request, self._claims, self._permission = request, claims, permission
        self._database = database_of(request)
        self._db: Session | None = None
        self._actor: Actor | None = None

    def _new_session(self) -> Session:
        raise NotImplementedError

    def _confirmed(self, db: Session, actor: Actor, crossing_id: str | None) -> None:
        """What else opening does, in the new session (a writer claims its Idempotency-Key)."""

    @property
    def db(self) -> Session:
        if self._db is None:
            db = self._new_session()
            try:
                actor = auth_service.user_for_claims(db, self._claims)
                checked = scoping.check_route(
                    db, actor, self._permission, self._request.path_params
                )
                self._confirmed(db, actor, checked)
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
    """A read session and the actor. Every personal record it loads goes to the access log
    (audit/access.py), written after the answer is rendered and before it is sent."""

    def __init__(self, request: Request, claims: TokenClaims, permission: Permission) -> None:
        super().__init__(request, claims, permission)
        self._accesses: access.Accesses | None = None
        self._ended = False

    def _new_session(self) -> Session:
        if self._ended:
            raise RuntimeError("The reader was ended by done(); the route reads no more.")
        return self._database.reader()

    def _confirmed(self, db: Session, actor: Actor, crossing_id: str | None) -> None:
        # The route's name costs a URL built from the request: it is filled in only when there
        # is something to write (_recorded).
        self._accesses = access.Accesses(actor.user_id, actor.username, actor.role, "", crossing_id)
        access.watch(db, self._accesses)

    def done(
        self, payload: BaseModel | dict[str, Any] | list[Any], status_code: int = 200
    ) -> Response:
        """Render the answer and end the reader here, in the route's thread: the persons read
        are in the access log before the answer leaves, and no hop to a thread is left to the
        edge. Nothing may read through the reader afterwards."""
        response = _render(payload, status_code)
        self._end()
        return response

    def _end(self) -> None:
        """Record what was read, then close; in a thread (a database round trip each)."""
        self._ended = True
        db, self._db = self._db, None
        if db is None:
            return
        try:
            self._recorded()
        finally:
            db.close()  # a read-only transaction: returning the connection rolls it back

    def _recorded(self) -> None:
        accesses = self._accesses
        if accesses is not None and accesses.seen:
            accesses.route = _route_of(self._request)
            access.write(self._database, accesses)

    def _close(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            db.close()

    async def _exit(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if self._db is None:  # never opened, or ended by done()
            return
        with anyio.CancelScope(shield=True):  # a cancelled request still returns its connection
            if exc_type is not None:  # no answer is sent, so nothing is recorded
                await in_cleanup_thread(self._close)
            elif self._accesses is not None and self._accesses.seen:
                await anyio.to_thread.run_sync(self._end)
            else:
                await in_cleanup_thread(self._close)


class _Edge(SecurityBase):
    """A route's one dependency: who calls, and the session its permission allows.

    FastAPI solves every dependency with machinery of its own (the three nested ones this replaces
    were a third of a read's work on the event loop), so the edge is a single plain coroutine: it
    reads the bearer token itself and, being a security scheme with `oauth2`'s name and model,
    documents the route's security in OpenAPI as `Depends(oauth2)` did. What runs after the route
    is pushed onto FastAPI's own exit stacks, as a dependency with `yield` would be.
    """

    def __init__(self, permission: Permission) -> None:
        self.permission = permission  # app.route_permissions() lists it
        self.model, self.scheme_name = oauth2.model, oauth2.scheme_name


def _exit_stack(request: Request, key: str) -> AsyncExitStack:
    stack = request.scope.get(key)
    if not isinstance(stack, AsyncExitStack):  # FastAPI renamed its stacks: fail every request
        raise RuntimeError(f"{key} is not in the request scope")
    return stack


class _Reading(_Edge):
    async def __call__(self, request: Request) -> Reader:
        reader = Reader(request, _claims(request, self.permission), self.permission)
        # The stack FastAPI ends before it sends the answer (a dependency's scope "function"), so
        # the persons read are in the access log before they leave, or the answer is a 5xx.
        _exit_stack(request, "fastapi_function_astack").push_async_exit(reader._exit)
        return reader


def reading(permission: Permission) -> Callable[..., Any]:
    """`Depends(reading(P.X))`: a Reader, for a caller whose role has the permission."""
    return _Reading(permission)


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
        super().__init__(request, claims, permission)
        self.settings = settings_of(request)
        self._key, self._body = idempotency_key, body
        self.claim: idempotency.Claim | None = None
        self.committed = False

    def _new_session(self) -> Session:
        return self._database.writer()

    def _confirmed(self, db: Session, actor: Actor, crossing_id: str | None) -> None:
        if self._key is None:
            return
        request = self._request
        self.claim = idempotency.claim(
            db,
            user_id=actor.user_id,
            key=self._key,
            fingerprint=idempotency.request_hash(request.method, request.url.path, self._body),
            policy=idempotency.Policy(
                keep=timedelta(hours=self.settings.idempotency_hours),
                lease=timedelta(seconds=self.settings.idempotency_lease_seconds),
            ),
        )

    def done(
        self, payload: BaseModel | dict[str, Any] | list[Any], status_code: int = 201
    ) -> Response:
        """Commit the work and answer; the idempotent response is stored in the same commit."""
        response = _render(payload, status_code)
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

    async def _exit(self, *_: object) -> None:
        if self.opened and not self.committed:
            with anyio.CancelScope(shield=True):  # a cancelled request still ends its work
                await in_cleanup_thread(self.abandon)


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


class _Writing(_Edge):
    async def __call__(self, request: Request) -> Tx:
        claims = _claims(request, self.permission)
        raw_key = request.headers.get("idempotency-key")
        key = idempotency.validate_key(raw_key) if raw_key is not None else None
        body = await _body_for_fingerprint(request) if key is not None else b""
        tx = Tx(request, claims, key, body, self.permission)
        # The stack FastAPI ends after the answer (a dependency's default scope): a failed
        # request's work is rolled back before its error answer, a committed one has no work left.
        _exit_stack(request, "fastapi_inner_astack").push_async_exit(tx._exit)
        return tx


def writing(permission: Permission) -> Callable[..., Any]:
    """`Depends(writing(P.X))`: a Tx, for a caller whose role has the permission."""
    return _Writing(permission)


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
