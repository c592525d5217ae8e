"""Request edges: who is calling, and one transaction per request, committed here and only here.

Routes declare what they need: `Depends(reading(Permission.X))` gives a read session and the actor;
`Depends(writing(Permission.X))` gives a write transaction that the route ends with `tx.done(...)`,
which stores the Idempotency-Key response beside the write and commits before answering, so a 2xx
means the write is on disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUploadFile

from borderpost import errors, idempotency
from borderpost.auth import service as auth_service
from borderpost.auth import throttle
from borderpost.auth.models import User
from borderpost.auth.permissions import Permission, has_permission
from borderpost.auth.service import Actor
from borderpost.config import Settings
from borderpost.db import Database

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def database_of(request: Request) -> Database:
    return request.app.state.db


def _actor(db: Session, request: Request, token: str | None, permission: Permission) -> Actor:
    if not token:
        raise errors.unauthorized()
    user = auth_service.user_for_token(db, token=token, secret=settings_of(request).secret_key)
    actor = auth_service.actor_of(user)
    if not has_permission(actor.role, permission):
        raise errors.forbidden(
            f"The role {actor.role.value!r} may not do this ({permission.value})."
        )
    return actor


@dataclass
class Reader:
    db: Session
    actor: Actor


def reading(permission: Permission) -> Callable[..., Iterator[Reader]]:
    def dependency(request: Request, token: str | None = Depends(oauth2)) -> Iterator[Reader]:
        db = database_of(request).reader()
        try:
            yield Reader(db, _actor(db, request, token, permission))
        finally:
            db.rollback()
            db.close()

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def public_reader(request: Request) -> Iterator[Session]:
    db = database_of(request).reader()
    try:
        yield db
    finally:
        db.rollback()
        db.close()


@dataclass
class Tx:
    db: Session
    actor: Actor
    settings: Settings
    claim: idempotency.Claim | None = None
    committed: bool = field(default=False)

    def done(
        self, payload: BaseModel | dict[str, Any] | list[Any], status_code: int = 201
    ) -> JSONResponse:
        """Commit the work and answer; the idempotent response is stored in the same commit."""
        content = jsonable_encoder(payload)
        response = JSONResponse(content, status_code=status_code)
        if self.claim is not None:
            idempotency.complete(self.db, self.claim, status=status_code, body=bytes(response.body))
        self.db.commit()
        self.committed = True
        return response


def _begin(request: Request, token: str | None, permission: Permission, body: bytes) -> Tx:
    db = database_of(request).writer()
    try:
        actor = _actor(db, request, token, permission)
        claim = None
        raw_key = request.headers.get("idempotency-key")
        if raw_key is not None:
            settings = settings_of(request)
            claim = idempotency.claim(
                db,
                user_id=actor.user_id,
                key=idempotency.validate_key(raw_key),
                fingerprint=idempotency.request_hash(request.method, request.url.path, body),
                policy=idempotency.Policy(
                    keep=timedelta(hours=settings.idempotency_hours),
                    lease=timedelta(seconds=settings.idempotency_lease_seconds),
                ),
            )
        else:
            db.commit()  # end the authentication read; the work starts a fresh transaction
        return Tx(db, actor, settings_of(request), claim)
    except BaseException:
        db.rollback()
        db.close()
        raise


def _end(tx: Tx) -> None:
    try:
        if not tx.committed:
            tx.db.rollback()
            if tx.claim is not None:
                idempotency.release(tx.db, tx.claim)
    finally:
        tx.db.close()


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
        body = await _body_for_fingerprint(request)
        tx = await run_in_threadpool(_begin, request, token, permission, body)
        try:
            yield tx
        finally:
            await run_in_threadpool(_end, tx)

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
