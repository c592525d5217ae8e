"""Login and logout for the pages: a session cookie carrying the same JWT as the API."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from borderpost.auth import service
from borderpost.auth.permissions import Role
from borderpost.crossing import service as crossings
from borderpost.transaction import settings_of
from borderpost.web import security
from borderpost.web.edge import PageRoute, check_csrf, public_page, read_form, safe_next
from borderpost.web.forms import Form
from borderpost.web.templating import gettext, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

# Where each role starts its day (on the first crossing).
HOME_SECTION: dict[Role, str] = {
    Role.IMMIGRATION: "/booth",
    Role.CUSTOMS: "/cargo",
    Role.SUPERVISOR: "/supervisor",
    Role.SECURITY: "/security",
    Role.LIAISON: "/assessments",
}


def home_of(db: Session, role: Role) -> str:
    first = next(iter(crossings.list_crossings(db)), None)
    if first is None:
        return "/"
    return f"/crossings/{first.code}{HOME_SECTION.get(role, '')}"


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
    user = None if form.errors else service.authenticate(db, username=username, password=password)
    if user is None:
        if not form.errors:
            form.message = _("Wrong username or password.")
        status = 422 if form.errors else 401
        return render(request, "auth/login.html", {"form": form, "next": target}, status=status)
    settings = settings_of(request)
    token = service.issue_token(user, secret=settings.secret_key, minutes=settings.token_minutes)
    response = RedirectResponse(target or home_of(db, service.actor_of(user).role), status_code=303)
    security.set_cookie(
        response, request, security.SESSION_COOKIE, token, max_age=settings.token_minutes * 60
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    values, _files = await read_form(request)
    check_csrf(request, values)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    return response
