"""Extracting the pages' labels into the Arabic catalogue, and checking that none is missing.

`python scripts/i18n.py` updates web/locale/ar/LC_MESSAGES/messages.po from the templates and
the pages' Python code (new labels appear untranslated); a test fails while any is.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from borderpost.web.i18n import po_path

PACKAGE = Path(__file__).resolve().parent.parent
METHODS = [
    ("web/templates/**.html", "jinja2.ext:babel_extract"),
    ("**/pages.py", "python"),
    ("**/*_pages.py", "python"),
    ("web/*.py", "python"),
]
OPTIONS = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}


def extract() -> Catalog:
    catalog = Catalog(project="Borderpost", domain="messages")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), METHODS, OPTIONS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def load(code: str) -> Catalog:
    with po_path(code).open("rb") as f:
        return read_po(f, locale=code)


def update(code: str = "ar") -> list[str]:
    """Merge the extracted labels into the catalogue; returns those still untranslated."""
    template = extract()
    path = po_path(code)
    if path.exists():
        catalog = load(code)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=code, project="Borderpost", domain="messages")
    catalog.update(template, no_fuzzy_matching=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, ignore_obsolete=True)
    return missing(code)


def missing(code: str = "ar") -> list[str]:
    catalog = load(code)
    wanted = extract()
    gaps = []
    for message in wanted:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        strings = found.string if found else None
        if (
            found is None
            or found.fuzzy
            or not strings
            or (isinstance(strings, tuple) and not all(strings))
        ):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps
