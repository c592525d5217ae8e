"""The pages' request edge, mirroring transaction.py: who is calling, one transaction per request.

- `Depends(page_reading(P.X))` gives a read session and the logged-in actor.
- `Depends(page_writing(P.X))` checks the CSRF token, then gives a write transaction and the
  submitted form; the page ends it with `tx.commit()` and answers with `redirect_after_post`
  (Post/Redirect/Get), or re-renders the form with its errors (the transaction is rolled back).
- `PageRoute` turns refusals into pages: no session → the login page, a role without the right →
  a 403 "not allowed" page, an unknown crossing → a 404 page, anything unexpected → a plain 500
  page with the request id. It also applies the language, the cookies and the security headers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from borderpost import errors, scoping
from borderpost.audit import access
from borderpost.audit import service as audit
from borderpost.auth import service as auth_service
from borderpost.auth.permissions import Permission, has_permission
from borderpost.auth.service import Actor
from borderpost.errors import DomainError
from borderpost.failures import log_failure, storage_unavailable
from borderpost.logs import request_id_var
from borderpost.transaction import database_of, in_cleanup_thread, settings_of
from borderpost.web import i18n, security
from borderpost.web.templating import gettext, is_htmx, render

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


class LoginRequired(Exception):
    """No valid session: the page answers with the login page."""


class CsrfRefused(Exception):
    """A form without a valid CSRF token."""


def _session_actor(db: Session, request: Request) -> Actor | None:
    token = request.cookies.get(security.SESSION_COOKIE)
    if not token:
        return None
    try:
        return auth_service.user_for_token(db, token=token, secret=settings_of(request).secret_key)
    except DomainError:
        return None


def _authorise(db: Session, request: Request, permission: Permission) -> Actor:
    actor = _session_actor(db, request)
    if actor is None:
        raise LoginRequired
    request.state.actor = actor
    if not has_permission(actor.role, permission):
        raise errors.forbidden(f"The role {actor.role.value!r} may not do this ({permission}).")
    request.state.crossing_checked = scoping.check_route(db, actor, permission, request.path_params)
    return actor


@dataclass
class PageReader:
    db: Session
    actor: Actor


def page_reading(permission: Permission) -> Callable[..., Any]:
    # Scope "function", as the API's reading(): the persons the page shows are in the access log
    # before the page is sent.
    def opened(request: Request) -> Iterator[PageReader]:
        db = database_of(request).reader()
        try:
            actor = _authorise(db, request, permission)
            template = getattr(request.scope.get("route"), "path", None)
            accesses = access.Accesses(
                actor.user_id,
                actor.username,
                actor.role,
                access.route_of(request.method, request.url.path, template, request.path_params),
                request.state.crossing_checked,
            )
            access.watch(db, accesses)
            yield PageReader(db, actor)
            access.write(database_of(request), accesses)
        finally:
            db.rollback()
            db.close()

    async def dependency(reader: PageReader = Depends(opened, scope="function")) -> PageReader:
        return reader

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def public_page(request: Request) -> Iterator[Session]:
    """No login needed; the actor is still known (for the menu) when there is a session."""
    db = database_of(request).reader()
    try:
        request.state.actor = _session_actor(db, request)
        yield db
    finally:
        db.rollback()
        db.close()


public_page.permission = None  # type: ignore[attr-defined]


@dataclass
class PageTx:
    db: Session
    actor: Actor
    form: dict[str, Any]
    files: dict[str, UploadFile] = field(default_factory=dict)
    committed: bool = False

    def commit(self) -> None:
        audit.commit(self.db)
        self.committed = True


async def read_form(request: Request) -> tuple[dict[str, Any], dict[str, UploadFile]]:
    """Fields with one value as str, repeated fields (checkboxes) as lists; uploads apart."""
    raw = await request.form()
    values: dict[str, Any] = {}
    files: dict[str, UploadFile] = {}
    for key in raw:
        items = raw.getlist(key)
        if items and isinstance(items[0], UploadFile):
            files[key] = items[0]  # type: ignore[assignment]
            continue
        strings = [str(v) for v in items]
        if "\x00" in key or any("\x00" in v for v in strings):
            raise errors.invalid(key.replace("\x00", "") or "form", "contains a NUL character")
        values[key] = strings if len(strings) > 1 or key.endswith("[]") else strings[0]
    return values, files


def check_csrf(request: Request, form: dict[str, Any]) -> None:
    submitted = form.pop(security.CSRF_FIELD, None)
    if not security.csrf_valid(request, settings_of(request).secret_key, submitted):
        raise CsrfRefused


def _begin(request: Request, permission: Permission) -> tuple[Session, Actor]:
    db = database_of(request).writer()
    try:
        actor = _authorise(db, request, permission)
        db.commit()  # end the authentication read; the work starts a fresh transaction
        return db, actor
    except BaseException:
        db.rollback()
        db.close()
        raise


def _end(tx: PageTx) -> None:
    try:
        if not tx.committed:
            tx.db.rollback()
    finally:
        tx.db.close()


def page_writing(permission: Permission) -> Callable[..., AsyncIterator[PageTx]]:
    async def dependency(request: Request) -> AsyncIterator[PageTx]:
        form, files = await read_form(request)
        check_csrf(request, form)
        db, actor = await run_in_threadpool(_begin, request, permission)
        tx = PageTx(db, actor, form, files)
        try:
            yield tx
        finally:
            await in_cleanup_thread(lambda: _end(tx))

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def redirect_after_post(
    request: Request, to: str, message: str | None = None, kind: str = "success"
) -> Response:
    """303 to the page to show next; HTMX is told to navigate there instead of swapping."""
    if is_htmx(request):
        response: Response = Response(status_code=204, headers={"HX-Redirect": to})
    else:
        response = RedirectResponse(to, status_code=303)
    if message:
        security.set_flash(response, request, settings_of(request).secret_key, [(kind, message)])
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this server: never an absolute URL or a scheme-relative one."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def _error_page(request: Request, status: int, message: str | None = None) -> Response:
    _ = gettext(request)
    titles = {
        403: _("Not allowed"),
        404: _("Page not found"),
        409: _("Refused"),
        422: _("Invalid request"),
        500: _("Something went wrong"),
        503: _("Something went wrong"),
    }
    texts = {
        403: _("Your role may not open this page or do this."),
        404: _("There is no such page or crossing."),
        500: _("The error has been logged. Quote this reference to the administrator: %(id)s")
        % {"id": request_id_var.get()},
    }
    texts[503] = texts[500]
    return render(
        request,
        "errors/error.html",
        {
            "status": status,
            "title": titles.get(status, _("Refused")),
            "text": message or texts.get(status, ""),
        },
        status=status,
    )


def wants_html(request: Request) -> bool:
    """A browser asking for a page (it accepts HTML) at an address outside the API."""
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def browser_error_page(request: Request, status: int) -> Response:
    """The error page for an address no page route answered (unknown, or failing before one):
    what `PageRoute` shows for its own refusals."""
    request.state.lang = i18n.pick(
        request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE)
    )
    return _finish(request, _error_page(request, status))


def _finish(request: Request, response: Response) -> Response:
    lang = request.query_params.get("lang")
    if lang in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", path="/"
        )
    security.persist_csrf(request, response)
    security.clear_taken_flash(request, response)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


class PageRoute(APIRoute):
    """A route that answers with pages, including when it refuses."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            request.state.lang = i18n.pick(
                request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE)
            )
            try:
                response = await original(request)
            except LoginRequired:
                target = request.url.path
                if request.method == "GET" and request.url.query:
                    target += "?" + request.url.query
                url = "/login?next=" + quote(target, safe="/")
                response = (
                    Response(status_code=204, headers={"HX-Redirect": url})
                    if is_htmx(request)
                    else RedirectResponse(url, status_code=303)
                )
            except CsrfRefused:
                _ = gettext(request)
                response = _error_page(
                    request, 403, _("The form had expired or was not sent from this site.")
                )
            except DomainError as exc:
                if exc.status >= 500:
                    raise
                _ = gettext(request)
                text = (
                    _("This crossing is outside your scope.")
                    if exc.slug == "out-of-scope"
                    else None
                )
                response = _error_page(request, exc.status, text)
            except RequestValidationError:
                response = _error_page(request, 422)
            except StarletteHTTPException as exc:
                # a malformed or oversized form, too many fields (starlette's parser)
                response = _error_page(request, exc.status_code)
            except Exception as exc:
                log_failure("page_error", exc, path=request.url.path)
                response = _error_page(request, 503 if storage_unavailable(exc) else 500)
            return _finish(request, response)

        return handler
