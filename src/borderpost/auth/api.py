"""POST /api/v1/auth/token: the OAuth2 password flow."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.auth import service
from borderpost.auth.schemas import Token
from borderpost.transaction import public_reader, settings_of

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=Token, responses={401: {"description": "Wrong credentials"}})
def issue_token(
    request: Request,
    username: Annotated[str, Form(min_length=1, max_length=64)],
    password: Annotated[str, Form(min_length=1, max_length=256)],
    db: Session = Depends(public_reader),
) -> Token:
    user = service.authenticate(db, username=username, password=password)
    if user is None:
        raise errors.unauthorized("Wrong username or password.")
    settings = settings_of(request)
    token = service.issue_token(user, secret=settings.secret_key, minutes=settings.token_minutes)
    return Token(access_token=token, expires_in=settings.token_minutes * 60)
