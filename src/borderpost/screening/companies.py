"""Listed entities (companies, organisations) and the names of a truck's parties.

A company's name is compared after its legal form and filler words are taken out (LLC, Co.,
Ltd, Est., شركة, مؤسسة, ذ.م.م, "for", "and"), the article joined to its word (Al-Noor, Al Noor
and Alnoor are one word) and Arabic script folded as for people's names. Lists of entities are
short (the UN list has a few hundred), so every entity is scored, with rapidfuzz's vectorised
`process.extract`, not through the people's posting index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from borderpost.screening.normalise import clean_name, fold, validate

# Legal forms and filler words, after folding (ة -> ه, ؤ -> و) and with dots removed.
_LEGAL = frozenset(
    """llc ltd limited co company companies corp corporation inc incorporated plc gmbh ag sa sas
    sarl sal spa bv nv fze fzco fzc fzllc jsc ojsc pjsc cjsc est establishment ent enterprise
    enterprises holding holdings intl international the and for of
    شركه شركات موسسه مؤسسه ذمم المحدوده محدوده شمل شمم مساهمه عامه خاصه و""".split()
)
_ARTICLE = frozenset({"al", "el", "ال"})
_SPLIT = re.compile(r"[^\w]+|_")

COMPANY_MIN = 88  # token_sort_ratio from which a company name is reported (0-100)


def company_key(name: str) -> str:
    """Comparable form of a company name: "Al-Noor Trading Co. LLC" -> "alnoor trading"."""
    words = [w for w in _SPLIT.split(fold(clean_name(name) or "")) if w]
    # initials written with dots or spaces (L.L.C., S A R L) become one word first
    merged: list[str] = []
    run: list[str] = []
    for w in [*words, ""]:
        if len(w) == 1 and w:
            run.append(w)
            continue
        if run:
            merged.append("".join(run))
            run = []
        if w:
            merged.append(w)
    out: list[str] = []
    i = 0
    while i < len(merged):
        w = merged[i]
        if w in _ARTICLE and i + 1 < len(merged):  # Al Noor, Al-Noor -> alnoor
            w = "al" + merged[i + 1]
            i += 1
        elif w.startswith("el") and len(w) > 4 and w[2:] not in _LEGAL:
            w = "al" + w[2:]
        if w not in _LEGAL:
            out.append(w)
        i += 1
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class CompanyHit:
    entry_no: int
    alias: str
    score: float  # 0-1


class CompanyIndex:
    """Every name and alias of the listed entities, in comparable form."""

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._alias: list[str] = []
        self._entry: list[int] = []

    def add(self, entry_no: int, names: tuple[str, ...]) -> None:
        for name in names:
            key = company_key(name)
            if key:
                self._keys.append(key)
                self._alias.append(name)
                self._entry.append(entry_no)

    def __len__(self) -> int:
        return len(self._keys)

    def search(self, name: str, *, limit: int = 10) -> list[CompanyHit]:
        """Entities whose names match the company name, best per entity, best first."""
        validate(name)
        key = company_key(name)
        if not key or not self._keys:
            return []
        found = process.extract(
            key,
            self._keys,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            limit=limit * 4,
            score_cutoff=COMPANY_MIN,
        )
        best: dict[int, CompanyHit] = {}
        for _, score, i in found:
            entry_no = self._entry[i]
            if entry_no not in best or best[entry_no].score < score / 100:
                best[entry_no] = CompanyHit(entry_no, self._alias[i], score / 100)
        return sorted(best.values(), key=lambda h: -h.score)[:limit]
