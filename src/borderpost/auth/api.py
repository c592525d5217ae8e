"""Tokens (the OAuth2 password flow), logout, and the accounts an administrator manages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session

from borderpost.auth import service, users
from borderpost.auth.models import User
from borderpost.auth.permissions import Permission as P
from borderpost.auth.schemas import PasswordSet, ScopeSet, Token, UserCreate, UserRead
from borderpost.problems import problem_responses
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


def user_read(db: Session, user: User, crossings: dict[str, list[str]] | None = None) -> UserRead:
    listed = crossings if crossings is not None else users.crossings_of(db, [user.id])
    return UserRead(
        id=user.id,
        username=user.username,
        role=user.role,
        country=user.country,
        crossings=listed.get(user.id, []),
        active=user.active,
        created_at=user.created_at,
    )


@router.get("/users", response_model=list[UserRead])
def list_users(r: Reader = Depends(reading(P.USER_WRITE))) -> list[UserRead]:
    rows = users.list_users(r.db, actor=r.actor)
    listed = users.crossings_of(r.db, [u.id for u in rows])
    return [user_read(r.db, u, listed) for u in rows]


@router.post(
    "/users", status_code=201, response_model=UserRead, responses=problem_responses(403, 409, 422)
)
def create_user(body: UserCreate, tx: Tx = Depends(writing(P.USER_WRITE))) -> Response:
    user = users.create_user(tx.db, **body.model_dump(), actor=tx.actor)
    return tx.done(user_read(tx.db, user))


@router.post(
    "/users/{user_id}/scope", response_model=UserRead, responses=problem_responses(404, 409, 422)
)
def set_scope(user_id: str, body: ScopeSet, tx: Tx = Depends(writing(P.USER_WRITE))) -> Response:
    user = users.get_user(tx.db, user_id, actor=tx.actor)
    users.set_scope(tx.db, user=user, **body.model_dump(), actor=tx.actor)
    return tx.done(user_read(tx.db, user), status_code=200)


@router.post(
    "/users/{user_id}/password", response_model=UserRead, responses=problem_responses(404, 422)
)
def reset_password(
    user_id: str, body: PasswordSet, tx: Tx = Depends(writing(P.USER_WRITE))
) -> Response:
    user = users.get_user(tx.db, user_id, actor=tx.actor)
    users.reset_password(tx.db, user=user, password=body.password, actor=tx.actor)
    return tx.done(user_read(tx.db, user), status_code=200)


@router.post(
    "/users/{user_id}/disable", response_model=UserRead, responses=problem_responses(404, 409)
)
def disable_user(user_id: str, tx: Tx = Depends(writing(P.USER_WRITE))) -> Response:
    """An administrator cannot disable the last active administrator (409 `/last-admin`)."""
    user = users.get_user(tx.db, user_id, actor=tx.actor)
    users.disable_user(tx.db, user=user, actor=tx.actor)
    return tx.done(user_read(tx.db, user), status_code=200)


@router.post(
    "/users/{user_id}/enable", response_model=UserRead, responses=problem_responses(404, 409)
)
def enable_user(user_id: str, tx: Tx = Depends(writing(P.USER_WRITE))) -> Response:
    user = users.get_user(tx.db, user_id, actor=tx.actor)
    users.enable_user(tx.db, user=user, actor=tx.actor)
    return tx.done(user_read(tx.db, user), status_code=200)
