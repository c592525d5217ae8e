"""Tokens (the OAuth2 password flow), logout, and the accounts an administrator disables."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from borderpost.auth import service
from borderpost.auth.models import User
from borderpost.auth.permissions import Permission as P
from borderpost.auth.schemas import Token, UserRead
from borderpost.transaction import Reader, Tx, log_in, reading, settings_of, writing

router = APIRouter(tags=["auth"])


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
    user = await run_in_threadpool(log_in, request, username, password)
    settings = settings_of(request)
    token = service.issue_token(user, secret=settings.secret_key, minutes=settings.token_minutes)
    return Token(access_token=token, expires_in=settings.token_minutes * 60)


@router.post("/auth/logout", status_code=200)
def log_out(tx: Tx = Depends(writing(P.SESSION_END))) -> Response:
    """Revoke every token of the calling user, on every device."""
    user = tx.db.get(User, tx.actor.user_id)
    assert user is not None
    service.revoke_tokens(tx.db, user=user, actor=tx.actor, reason="logout")
    return tx.done({"revoked": True}, status_code=200)


@router.get("/users", response_model=list[UserRead])
def list_users(r: Reader = Depends(reading(P.USER_WRITE))) -> list[UserRead]:
    return [UserRead.model_validate(u, from_attributes=True) for u in service.list_users(r.db)]


@router.post("/users/{user_id}/disable", response_model=UserRead)
def disable_user(user_id: str, tx: Tx = Depends(writing(P.USER_WRITE))) -> Response:
    user = service.disable_user(tx.db, user_id=user_id, actor=tx.actor)
    return tx.done(UserRead.model_validate(user, from_attributes=True), status_code=200)
