"""Jinja2 environments (one per language, each with its catalogue installed) and rendering."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from borderpost.auth.permissions import Permission, has_permission
from borderpost.web import i18n, security
from borderpost.web.labels import labels

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["tojson_attr"] = lambda value: Markup.escape(json.dumps(value, ensure_ascii=False))
    return env


def lang_of(request: Request) -> str:
    return getattr(request.state, "lang", i18n.DEFAULT)


def gettext(request: Request):
    return i18n.translations(lang_of(request)).gettext


def url_with(request: Request, **params: str) -> str:
    query = dict(request.query_params) | params
    return f"{request.url.path}?{urlencode(query)}"


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    block: str | None = None,
) -> HTMLResponse:
    """The whole page, or with `block` only that fragment (the form HTMX swaps in place)."""
    lang = lang_of(request)
    settings = request.app.state.settings
    actor = getattr(request.state, "actor", None)
    timezone = getattr(request.state, "timezone", "UTC")
    ctx: dict[str, Any] = {
        "request": request,
        "lang": i18n.LANGUAGES[lang],
        "languages": i18n.LANGUAGES.values(),
        "fmt": i18n.Formatter(lang, timezone),
        "actor": actor,
        "can": lambda p: actor is not None and has_permission(actor.role, Permission(p)),
        "csrf_token": security.csrf_token(request, settings.secret_key),
        "csrf_field": security.CSRF_FIELD,
        "flash": security.take_flash(request, settings.secret_key) if block is None else [],
        "url_with": lambda **p: url_with(request, **p),
        "forms": {},
        "crossing": None,
        "section": None,
    }
    names = labels(i18n.translations(lang).gettext)
    ctx["label"] = lambda kind, value: names.get(kind, {}).get(str(value), str(value))
    ctx["label_items"] = lambda kind: list(names.get(kind, {}).items())
    ctx.update(context or {})
    env = environment(lang)
    # The form macros, for whole pages and for a block rendered alone (HTMX fragments).
    ctx["m"] = env.get_template("macros.html").make_module(vars=ctx)
    tmpl = env.get_template(template)
    if block is not None:
        return HTMLResponse("".join(tmpl.blocks[block](tmpl.new_context(ctx))), status_code=status)
    html = tmpl.render(ctx)
    return HTMLResponse(html, status_code=status)
