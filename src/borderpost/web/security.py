"""Cookies of the pages: the login session, the CSRF token and one-shot flash messages.

- The session cookie carries the same signed JWT as the API's bearer token (HttpOnly,
  SameSite=Lax, Secure over https), so revoking a user's tokens logs their pages out as well.
- CSRF: a random value in an HttpOnly cookie; every form carries HMAC(secret, that value). A
  cross-site page can neither read the cookie nor compute the HMAC. Compared in constant time.
- Flash messages: a short JSON list in a signed cookie, shown once by the next page (PRG).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

from fastapi import Request
from starlette.responses import Response

SESSION_COOKIE = "bp_session"
CSRF_COOKIE = "bp_csrf"
FLASH_COOKIE = "bp_flash"
CSRF_FIELD = "csrf_token"


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def _mac(secret: str, purpose: str, value: str) -> str:
    digest = hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


# --- CSRF -----------------------------------------------------------------------------------


def csrf_seed(request: Request) -> str:
    """The request's CSRF cookie value, creating one if the browser has none yet."""
    seed = getattr(request.state, "csrf_seed", None)
    if seed is None:
        seed = request.cookies.get(CSRF_COOKIE) or ""
        if len(seed) < 20:
            seed = secrets.token_urlsafe(24)
            request.state.csrf_new = True
        request.state.csrf_seed = seed
    return seed


def csrf_token(request: Request, secret: str) -> str:
    return _mac(secret, "csrf", csrf_seed(request))


def csrf_valid(request: Request, secret: str, submitted: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted:
        return False
    return hmac.compare_digest(_mac(secret, "csrf", cookie), submitted)


def persist_csrf(request: Request, response: Response) -> None:
    if getattr(request.state, "csrf_new", False):
        set_cookie(response, request, CSRF_COOKIE, request.state.csrf_seed)


# --- flash messages -------------------------------------------------------------------------


def set_flash(
    response: Response, request: Request, secret: str, messages: list[tuple[str, str]]
) -> None:
    """messages: (kind, text) with kind 'success' or 'error'; text already translated."""
    payload = base64.urlsafe_b64encode(json.dumps(messages).encode()).decode()
    set_cookie(response, request, FLASH_COOKIE, f"{payload}.{_mac(secret, 'flash', payload)}", 60)


def take_flash(request: Request, secret: str) -> list[tuple[str, str]]:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw or "." not in raw:
        return []
    payload, mac = raw.rsplit(".", 1)
    if not hmac.compare_digest(_mac(secret, "flash", payload), mac):
        return []
    request.state.flash_taken = True
    try:
        return [(str(k), str(t)) for k, t in json.loads(base64.urlsafe_b64decode(payload))]
    except (ValueError, TypeError):
        return []


def clear_taken_flash(request: Request, response: Response) -> None:
    if getattr(request.state, "flash_taken", False) and FLASH_COOKIE not in str(
        response.headers.getlist("set-cookie")
    ):
        response.delete_cookie(FLASH_COOKIE, path="/")
