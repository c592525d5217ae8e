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
    # Data in right-to-left text: names and codes isolated, free text marked with its language.
    env.filters["bdi"] = i18n.bdi
    env.filters["free"] = i18n.free_text
    env.filters["text_lang"] = i18n.text_lang
    return env


@cache
def labels_for(lang: str) -> dict[str, dict[str, str]]:
    return labels(i18n.translations(lang).gettext)


def is_labelled(lang: str, kind: str, value: object) -> bool:
    return str(value) in labels_for(lang).get(kind, {})


def labeller(lang: str, fmt: i18n.Formatter | None = None):
    """`label(kind, value)`: an enumeration's value in words of the language; countries by
    their name in the language (CLDR) when the table has none."""
    names = labels_for(lang)
    fmt = fmt or i18n.Formatter(lang)

    def label(kind: str, value: object) -> str:
        found = names.get(kind, {}).get(str(value))
        if found is None and kind == "country":
            return fmt.country(str(value))
        return found if found is not None else str(value)

    return label


def hs_name(code: object) -> str | None:
    """An HS code's name in Arabic (its heading's, else its chapter's), for Arabic pages."""
    from borderpost.cargo.hs_ar import shown_name_ar

    return shown_name_ar(str(code).replace(".", "").strip())


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
    fmt = i18n.Formatter(lang, timezone)
    ctx: dict[str, Any] = {
        "request": request,
        "lang": i18n.LANGUAGES[lang],
        "languages": i18n.LANGUAGES.values(),
        "fmt": fmt,
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
    label = labeller(lang, fmt)
    ctx["label"] = label
    # A value that is either one of a table's (translated) or a text typed in (shown as typed).
    ctx["hs_name"] = hs_name if lang == "ar" else (lambda code: None)
    ctx["has_label"] = lambda kind, value: is_labelled(lang, kind, value)
    ctx["label_or_text"] = lambda kind, value: (
        label(kind, value) if is_labelled(lang, kind, value) else i18n.free_text(value)
    )
    # Several values of one table in words, joined the language's way ("، " in Arabic).
    ctx["labels_of"] = lambda kind, values: fmt.list(label(kind, v) for v in values or [])
    ctx["label_items"] = lambda kind: list(labels_for(lang).get(kind, {}).items())
    ctx.update(context or {})
    env = environment(lang)
    # The form macros, for whole pages and for a block rendered alone (HTMX fragments).
    ctx["m"] = env.get_template("macros.html").make_module(vars=ctx)
    tmpl = env.get_template(template)
    if block is not None:
        return HTMLResponse("".join(tmpl.blocks[block](tmpl.new_context(ctx))), status_code=status)
    html = tmpl.render(ctx)
    return HTMLResponse(html, status_code=status)
