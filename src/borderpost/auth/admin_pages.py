"""The administrator's users page: list, create, scope, reset a password, disable, re-enable."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session

from borderpost.auth import users
from borderpost.auth.permissions import Permission as P
from borderpost.auth.permissions import Role
from borderpost.auth.schemas import PasswordSet, ScopeSet, UserCreate
from borderpost.auth.service import Actor
from borderpost.crossing import service as crossings
from borderpost.errors import DomainError
from borderpost.web.edge import PageReader, PageRoute, PageTx, page_reading, page_writing
from borderpost.web.edge import redirect_after_post as done
from borderpost.web.flow import as_list, failed, refused, validated
from borderpost.web.forms import Form, from_validation
from borderpost.web.i18n import isolate_in
from borderpost.web.templating import gettext, lang_of, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
USERS = "auth/users.html"
PAGE = "/admin/users"


def users_context(db: Session, actor: Actor) -> dict[str, Any]:
    rows = users.list_users(db, actor=actor)
    return {
        "section": "users",
        "users": rows,
        "listed": users.crossings_of(db, [u.id for u in rows]),
        "crossing_options": [
            (c.code, f"{c.code} · {c.name}")
            for c in crossings.list_crossings(db)
            if actor.country is None or actor.country in (c.country, c.neighbour_country)
        ],
        "roles": [r.value for r in Role],
        "country": actor.country,
    }


@router.get(PAGE)
def users_page(request: Request, r: PageReader = Depends(page_reading(P.USER_WRITE))):
    return render(request, USERS, users_context(r.db, r.actor))


def _country(value: Any) -> str | None:
    text = str(value or "").strip().upper()
    return text or None


def _again(request: Request, tx: PageTx, name: str, form: Form, status: int = 422):
    tx.db.rollback()
    return failed(
        request, USERS, users_context(tx.db, tx.actor), name=name, form=form, status=status
    )


@router.post(PAGE)
def create_user(request: Request, tx: PageTx = Depends(page_writing(P.USER_WRITE))):
    f = tx.form
    data = {
        "username": f.get("username", ""),
        "password": f.get("password", ""),
        "role": f.get("role") or None,
        "country": _country(f.get("country")),
        "crossings": as_list(f.get("crossings")),
    }
    shown = {k: v for k, v in f.items() if k != "password"}
    body = validated(request, UserCreate, data, shown)
    if not isinstance(body, UserCreate):
        return _again(request, tx, "create", body)
    try:
        user = users.create_user(tx.db, **body.model_dump(), actor=tx.actor)
    except DomainError as exc:
        form, status = refused(request, exc, shown)
        return _again(request, tx, "create", form, status)
    tx.commit()
    _ = gettext(request)
    return done(
        request,
        PAGE,
        _("User %(name)s created.") % {"name": isolate_in(lang_of(request), user.username)},
    )


def _user_action(request: Request, tx: PageTx, user_id: str, name: str, action) -> Any:
    """Run `action(user)`; the page again with the form's error when it is refused."""
    shown = {k: v for k, v in tx.form.items() if k != "password"}
    try:
        user = users.get_user(tx.db, user_id, actor=tx.actor)
        message = action(user)
    except ValidationError as exc:
        return _again(
            request, tx, f"{name}-{user_id}", from_validation(exc, shown, gettext(request))
        )
    except DomainError as exc:
        form, status = refused(request, exc, shown)
        return _again(request, tx, f"{name}-{user_id}", form, status)
    tx.commit()
    return done(request, PAGE, message)


@router.post(PAGE + "/{user_id}/scope")
def set_scope(request: Request, user_id: str, tx: PageTx = Depends(page_writing(P.USER_WRITE))):
    _ = gettext(request)

    def action(user):
        body = ScopeSet.model_validate(
            {
                "country": _country(tx.form.get("country")),
                "crossings": as_list(tx.form.get("crossings")),
            }
        )
        users.set_scope(tx.db, user=user, **body.model_dump(), actor=tx.actor)
        return _("Scope of %(name)s saved.") % {"name": isolate_in(lang_of(request), user.username)}

    return _user_action(request, tx, user_id, "scope", action)


@router.post(PAGE + "/{user_id}/password")
def reset_password(
    request: Request, user_id: str, tx: PageTx = Depends(page_writing(P.USER_WRITE))
):
    _ = gettext(request)

    def action(user):
        body = PasswordSet.model_validate({"password": tx.form.get("password", "")})
        users.reset_password(tx.db, user=user, password=body.password, actor=tx.actor)
        return _("Password of %(name)s reset; their sessions have ended.") % {
            "name": isolate_in(lang_of(request), user.username)
        }

    return _user_action(request, tx, user_id, "password", action)


@router.post(PAGE + "/{user_id}/disable")
def disable_user(request: Request, user_id: str, tx: PageTx = Depends(page_writing(P.USER_WRITE))):
    _ = gettext(request)

    def action(user):
        users.disable_user(tx.db, user=user, actor=tx.actor)
        return _("%(name)s disabled.") % {"name": isolate_in(lang_of(request), user.username)}

    return _user_action(request, tx, user_id, "active", action)


@router.post(PAGE + "/{user_id}/enable")
def enable_user(request: Request, user_id: str, tx: PageTx = Depends(page_writing(P.USER_WRITE))):
    _ = gettext(request)

    def action(user):
        users.enable_user(tx.db, user=user, actor=tx.actor)
        return _("%(name)s enabled.") % {"name": isolate_in(lang_of(request), user.username)}

    return _user_action(request, tx, user_id, "active", action)
