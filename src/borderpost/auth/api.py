"""Tokens (the OAuth2 password flow), logout, and the accounts an administrator disables."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from borderpost.auth import service, throttle
from borderpost.auth.models import User
from borderpost.auth.permissions import Permission as P
from borderpost.auth.schemas import Token, UserRead
from borderpost.errors import DomainError
from borderpost.transaction import Reader, Tx, database_of, reading, settings_of, writing

router = APIRouter(tags=["auth"])


def _log_in(request: Request, username: str, password: str) -> User:
    db = database_of(request).writer()
    address = request.client.host if request.client else "unknown"
    settings = settings_of(request)
    limits = throttle.Limits(
        per_account=settings.login_max_failures,
        per_address=settings.login_max_failures_per_address,
        lockout=timedelta(minutes=settings.login_lockout_minutes),
    )
    try:
        user = service.log_in(
            db, username=username, password=password, address=address, limits=limits
        )
        db.commit()
        return user
    except DomainError:
        db.commit()  # the failure count, and any lock, must outlive the refused request
        raise
    finally:
        db.close()


@router.post(
    "/auth/token",
    response_model=Token,
    responses={429: {"description": "Locked after repeated failures"}},
)
async def issue_token(
    request: Request,
    username: Annotated[str, Form(min_length=1, max_length=64, pattern=r"^[^\x00]*$")],
    password: Annotated[str, Form(min_length=1, max_length=256, pattern=r"^[^\x00]*$")],
) -> Token:
    user = await run_in_threadpool(_log_in, request, username, password)
    settings = settings_of(request)
    token = service.issue_token(user, secret=settings.secret_key, minutes=settings.token_minutes)
    return Token(access_token=token, expires_in=settings.token_minutes * 60)


@router.post("/auth/logout", status_code=200)
def log_out(tx: Tx = Depends(writing(P.SESSION_END))) -> JSONResponse:
    """Revoke every token of the calling user, on every device."""
    user = tx.db.get(User, tx.actor.user_id)
    assert user is not None
    service.revoke_tokens(tx.db, user=user, actor=tx.actor, reason="logout")
    return tx.done({"revoked": True}, status_code=200)


@router.get("/users", response_model=list[UserRead])
def list_users(r: Reader = Depends(reading(P.USER_WRITE))) -> list[UserRead]:
    return [UserRead.model_validate(u, from_attributes=True) for u in service.list_users(r.db)]


@router.post("/users/{user_id}/disable", response_model=UserRead)
def disable_user(user_id: str, tx: Tx = Depends(writing(P.USER_WRITE))) -> JSONResponse:
    user = service.disable_user(tx.db, user_id=user_id, actor=tx.actor)
    return tx.done(UserRead.model_validate(user, from_attributes=True), status_code=200)
