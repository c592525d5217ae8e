"""HS look-up in Arabic words, from a table of the headings traded at the crossing (data:
hs_names_ar.json). Letters are folded the way Arabic search is usually folded (hamza forms of
alef, taa marbuta, alef maqsura; diacritics and tatweel dropped), so "اسمنت" finds "إسمنت"."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from borderpost.cargo.hs import HsSubheading, search_hs

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}
)


def is_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def fold(text: str) -> str:
    return _MARKS.sub("", text).translate(_FOLD)


def _words(text: str) -> list[str]:
    folded = [w for w in re.split(r"[\s،,.؛;/()\-]+", fold(text)) if w]
    # The article "ال" is written or left out ("الطماطم" / "طماطم"): match without it.
    return [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in folded]


@cache
def _table() -> dict:
    package = resources.files("borderpost.cargo")
    return json.loads((package / "hs_names_ar.json").read_text(encoding="utf-8"))


def names() -> dict[str, list[str]]:
    return _table()["headings"]


def chapters() -> dict[str, str]:
    """Every HS chapter's name in Arabic (01 to 97; 77 is reserved)."""
    return _table()["chapters"]


def chapter_ar(chapter: str) -> str | None:
    return chapters().get(chapter[:2])


def shown_name_ar(code: str) -> str | None:
    """The name an Arabic page shows for a code: its heading's, else its chapter's."""
    return name_ar(code) or chapter_ar(code)


@cache
def _index() -> list[tuple[str, str, list[str]]]:
    return [(heading, name, _words(name)) for heading, all_ in names().items() for name in all_]


def name_ar(code: str) -> str | None:
    """The first Arabic name of the code's heading, when the table has one."""
    found = names().get(code[:4])
    return found[0] if found else None


def search_hs_ar(text: str, limit: int = 20) -> list[HsSubheading]:
    """Subheadings of the headings whose Arabic name has words starting with every query word."""
    query = _words(text)
    if not query or limit <= 0:
        return []
    headings: list[str] = []
    for heading, _, words in _index():
        if heading not in headings and all(any(w.startswith(q) for w in words) for q in query):
            headings.append(heading)
    found: list[HsSubheading] = []
    for heading in sorted(headings):
        found.extend(search_hs(heading, limit=limit))
    return found[:limit]
