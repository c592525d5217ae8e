"""Login and logout for the pages: a session cookie carrying the same JWT as the API."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from borderpost.auth import scope, service
from borderpost.auth.models import User
from borderpost.auth.permissions import Permission as P
from borderpost.auth.permissions import Role
from borderpost.crossing import service as crossings
from borderpost.errors import DomainError
from borderpost.transaction import log_in, settings_of
from borderpost.web import security
from borderpost.web.edge import (
    PageRoute,
    PageTx,
    check_csrf,
    page_writing,
    public_page,
    read_form,
    safe_next,
)
from borderpost.web.forms import Form
from borderpost.web.templating import gettext, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

# Where each role starts its day (on the first crossing).
HOME_SECTION: dict[Role, str] = {
    Role.SUPERVISOR: "/supervisor",
    Role.SECURITY: "/security",
    Role.LIAISON: "/assessments",
    Role.IMMIGRATION: "/booth",
    Role.CUSTOMS: "/cargo",
    Role.ANALYST: "/reports",
}


# Roles whose work is national, not at one crossing: their home is a page of its own.
NATIONAL_HOME: dict[Role, str] = {Role.AUDITOR: "/audit"}


def home_of(db: Session, actor: service.Actor) -> str:
    """The role's page at the first crossing in the user's scope (the auditor: the audit log)."""
    if actor.role in NATIONAL_HOME:
        return NATIONAL_HOME[actor.role]
    every = crossings.list_crossings(db)
    mine = scope.in_scope(db, actor, [c.id for c in every])
    first = next((c for c in every if c.id in mine), None)
    if first is None:
        return "/"
    return f"/crossings/{first.code}{HOME_SECTION.get(actor.role, '')}"


@router.get("/login")
def login_page(request: Request, next: str | None = None, db: Session = Depends(public_page)):
    return render(request, "auth/login.html", {"form": Form(), "next": safe_next(next, "")})


@router.post("/login")
async def login(request: Request, db: Session = Depends(public_page)) -> Response:
    values, _files = await read_form(request)
    check_csrf(request, values)
    _ = gettext(request)
    username = str(values.get("username", "")).strip()
    password = str(values.get("password", ""))
    target = safe_next(values.get("next"), "")
    form = Form(values={"username": username})
    if not username:
        form.errors["username"] = _("This field is required.")
    elif len(username) > 64:
        form.errors["username"] = _("Too long: at most %(n)s characters.") % {"n": 64}
    if not password:
        form.errors["password"] = _("This field is required.")
    elif len(password) > 256:
        form.errors["password"] = _("Too long: at most %(n)s characters.") % {"n": 256}
    if form.errors:
        return render(request, "auth/login.html", {"form": form, "next": target}, status=422)
    result = await run_in_threadpool(_log_in, request, username, password)
    if isinstance(result, DomainError):
        form.message = (
            _("Too many failed logins: try again in a few minutes.")
            if result.status == 429
            else _("Wrong username or password.")
        )
        context = {"form": form, "next": target}
        return render(request, "auth/login.html", context, status=result.status)
    user = result
    settings = settings_of(request)
    token = service.issue_token(user, secret=settings.secret_key, minutes=settings.token_minutes)
    response = RedirectResponse(target or home_of(db, service.actor_of(user)), status_code=303)
    security.set_cookie(
        response, request, security.SESSION_COOKIE, token, max_age=settings.token_minutes * 60
    )
    return response


def _log_in(request: Request, username: str, password: str) -> User | DomainError:
    try:
        return log_in(request, username, password)
    except DomainError as exc:
        return exc


@router.post("/logout")
def logout(request: Request, tx: PageTx = Depends(page_writing(P.SESSION_END))) -> Response:
    """Like the API's logout: every token of the user is revoked, on every device."""
    user = tx.db.get(User, tx.actor.user_id)
    assert user is not None
    service.revoke_tokens(tx.db, user=user, actor=tx.actor, reason="logout")
    tx.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    return response
