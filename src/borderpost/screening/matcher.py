"""Watchlist screening: find listed people whose names match a traveller's name.

Two stages. ``NameIndex.search`` asks the posting index (index.py) for the few aliases that
share name keys with the query, then scores each of them here, part by part:

- parts are aligned regardless of order (surname-first MRZ names, Arabic or Latin order);
- two parts are the same name when they resolve to the same lexicon name (spelling variants,
  Arabic script), or when their spellings are close; two lexicon names that differ are
  different names, however alike they look (Hassan/Hussein, Khalid/Khalil);
- a listed part that the query contradicts (another family name, another given name) weighs
  heavily against; a listed part the query just leaves out (a dropped middle name) only a little;
- very common given names carry half the weight of others, and agreement on a single part never
  reaches the threshold;
- date of birth and nationality, when both sides have them, move the score up or down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import product

from rapidfuzz.distance import Levenshtein

from borderpost.screening.index import PostingIndex
from borderpost.screening.normalise import CANON_FINE_KEYS, NamePart, fine_key, parse
from borderpost.screening.translit import COMMON_NAMES, DISTINCT_NAMES

DEFAULT_THRESHOLD: float = 0.75
"""Scores at or above this are reported as possible matches.

0.75 sits between the two situations that must be told apart. A listed person whose name is
spelled differently, written in Arabic script, written surname-first, or who leaves out one or two
middle names scores 0.8-1.0 (a dropped middle name costs about 0.05-0.15). A different person who
shares names but differs in one whole name (another family name, another given name, a look-alike
name such as Hassan for Hussein) scores below 0.65, and someone who shares only common names
below 0.6. A matching date of birth lifts a score towards 1; a contradicting one lowers it by 0.15.
Measured on bench/data/screening (see docs/benchmarks-screening.md).
"""

MATCH_MIN = 0.75  # part similarity from which two parts count as the same name
CONTRADICTION = 2.0  # weight multiplier of a listed part the query contradicts
DROPPED = 0.3  # weight multiplier of a part only one side has
SINGLE_PART_CAP = 0.6  # agreement on one part alone stays below the threshold


@dataclass(frozen=True, slots=True)
class WatchEntry:
    """One listed person."""

    entry_id: str
    list_name: str
    name: str
    aliases: tuple[str, ...] = ()
    birth_date: str | None = None  # "YYYY-MM-DD" or "YYYY"
    nationality: str | None = None  # ISO 3166-1 alpha-3


@dataclass(frozen=True, slots=True)
class Match:
    entry_id: str
    list_name: str
    name: str
    matched_alias: str
    score: float
    explanation: tuple[str, ...]


def part_similarity(q: NamePart, a: NamePart) -> tuple[float, str]:
    """How likely two parts are the same name, in [0, 1], with the reason."""
    if q.prefix != a.prefix or q.suffix != a.suffix:
        core, _ = part_similarity(
            NamePart(q.text, q.latin, q.canon, q.conf, q.coarse, from_arabic=q.from_arabic),
            NamePart(a.text, a.latin, a.canon, a.conf, a.coarse, from_arabic=a.from_arabic),
        )
        return core * 0.5, "compound differs"
    if q.canon and a.canon:
        if q.canon == a.canon:
            conf = min(q.conf, a.conf)
            return conf, "same name" if conf == 1.0 else "same name, misspelt"
        if frozenset((q.canon, a.canon)) in DISTINCT_NAMES:
            return 0.0, "look-alike, different names"
        return 0.0, "different names"
    if q.from_arabic or a.from_arabic:
        # Arabic script without short vowels: only the consonant skeletons can be compared.
        return 0.95 * Levenshtein.normalized_similarity(q.coarse, a.coarse), "skeleton"
    q_keys = CANON_FINE_KEYS.get(q.canon, ()) if q.canon else (fine_key(q.latin),)
    a_keys = CANON_FINE_KEYS.get(a.canon, ()) if a.canon else (fine_key(a.latin),)
    best = max(Levenshtein.normalized_similarity(x, y) for x, y in product(q_keys, a_keys))
    if q.coarse == a.coarse and len(q.coarse) >= 3:
        best = max(best, 0.85)
    return best, "spelling"


def _weight(part: NamePart, role: str) -> float:
    base = {"family": 1.5, "given": 1.0, "father": 0.8, "other": 0.6}[role]
    return base * (0.5 if part.identity in COMMON_NAMES else 1.0)


def _roles(parts: tuple[NamePart, ...]) -> list[str]:
    """Listed names are given-first: given, father, grandfather..., family (or al-/nisba)."""
    n = len(parts)
    roles = []
    for i, p in enumerate(parts):
        if p.article or (i == n - 1 and n >= 3):
            roles.append("family")
        else:
            roles.append("given" if i == 0 else "father" if i == 1 else "other")
    return roles


def score_names(
    query: tuple[NamePart, ...], alias: tuple[NamePart, ...]
) -> tuple[float, tuple[str, ...]]:
    """Name score in [0, 1] and one explanation line per name part."""
    sims = sorted(
        ((*part_similarity(q, a), qi, ai) for qi, q in enumerate(query) for ai, a in enumerate(alias)),
        key=lambda t: -t[0],
    )  # fmt: skip
    weights = [_weight(p, r) for p, r in zip(alias, _roles(alias), strict=True)]
    used_q: set[int] = set()
    used_a: set[int] = set()
    num = den = 0.0
    lines: list[str] = []
    for sim, why, qi, ai in sims:
        if sim < MATCH_MIN:
            break
        if qi in used_q or ai in used_a:
            continue
        used_q.add(qi)
        used_a.add(ai)
        num += weights[ai] * sim
        den += weights[ai]
        lines.append(f"{query[qi].text} ~ {alias[ai].text} ({why}, {sim:.2f})")
    matched = len(used_a)
    free_a = sorted((i for i in range(len(alias)) if i not in used_a), key=lambda i: -weights[i])
    free_q = [i for i in range(len(query)) if i not in used_q]
    for k, ai in enumerate(free_a):
        if k < len(free_q):
            den += weights[ai] * CONTRADICTION
            lines.append(f"{query[free_q[k]].text} ≠ {alias[ai].text} (contradicts)")
        else:
            den += weights[ai] * DROPPED
            lines.append(f"{alias[ai].text}: not in query (dropped)")
    for qi in free_q[len(free_a) :]:
        w = 0.5 if query[qi].identity in COMMON_NAMES else 1.0
        den += w * DROPPED
        lines.append(f"{query[qi].text}: not in listed name")
    if matched == 0 or den == 0:
        return 0.0, tuple(lines)
    score = num / den
    if matched == 1 and (len(alias) > 1 or len(query) > 1):
        score = min(score, SINGLE_PART_CAP)
    return score, tuple(lines)


def adjust_for_facts(
    score: float, lines: list[str], *, q_birth: str | None, a_birth: str | None,
    q_nat: str | None, a_nat: str | None,
) -> float:  # fmt: skip
    """Date of birth and nationality, when both sides have them."""
    if q_birth and a_birth:
        if len(q_birth) >= 10 and len(a_birth) >= 10 and q_birth[:10] == a_birth[:10]:
            score += (1 - score) * 0.5
            lines.append("date of birth agrees")
        elif q_birth[:4] == a_birth[:4]:
            score += (1 - score) * 0.25
            lines.append("year of birth agrees")
        elif q_birth[:4].isdigit() and a_birth[:4].isdigit() and abs(
                int(q_birth[:4]) - int(a_birth[:4])) <= 1:  # fmt: skip
            lines.append("year of birth within one year")
        else:
            score -= 0.15
            lines.append("date of birth differs")
    if q_nat and a_nat:
        if q_nat.upper() == a_nat.upper():
            score += (1 - score) * 0.15
            lines.append("nationality agrees")
        else:
            score -= 0.05
            lines.append("nationality differs")
    return min(1.0, max(0.0, score))


class NameIndex:
    """All aliases of all listed people, searchable by name."""

    def __init__(self) -> None:
        self._postings = PostingIndex()
        self._entries: list[WatchEntry] = []
        self._alias_text: list[str] = []
        self._alias_entry: list[int] = []

    @classmethod
    def build(
        cls, entries: Iterable[WatchEntry], progress: Callable[[int], None] | None = None
    ) -> NameIndex:
        """Index every name and alias; ``progress`` is called with the entries done so far."""
        index = cls()
        for n, entry in enumerate(entries, 1):
            entry_no = len(index._entries)
            index._entries.append(entry)
            for alias in dict.fromkeys((entry.name, *entry.aliases)):
                try:
                    parts = parse(alias)
                except ValueError:
                    continue  # an unusable alias does not block the entry's other names
                index._postings.add(len(index._alias_text), [p.coarse for p in parts])
                index._alias_text.append(alias)
                index._alias_entry.append(entry_no)
            if progress is not None and n % 10_000 == 0:
                progress(n)
        index._postings.freeze()
        if progress is not None:
            progress(len(index._entries))
        return index

    def __len__(self) -> int:
        return len(self._alias_text)

    def search(
        self, name: str, *, birth_date: date | str | None = None, nationality: str | None = None,
        threshold: float = DEFAULT_THRESHOLD, limit: int = 10,
    ) -> list[Match]:  # fmt: skip
        """Listed people matching ``name`` at or above ``threshold``, best first."""
        query = parse(name)  # raises ValueError for a non-name
        q_birth = birth_date.isoformat() if isinstance(birth_date, date) else birth_date
        best: dict[int, Match] = {}
        for alias_id in self._postings.candidates([p.coarse for p in query]):
            entry_no = self._alias_entry[alias_id]
            entry = self._entries[entry_no]
            alias = self._alias_text[alias_id]
            score, why = score_names(query, parse(alias))
            lines = list(why)
            score = adjust_for_facts(
                score, lines, q_birth=q_birth, a_birth=entry.birth_date,
                q_nat=nationality, a_nat=entry.nationality,
            )  # fmt: skip
            if score >= threshold and (entry_no not in best or best[entry_no].score < score):
                best[entry_no] = Match(
                    entry.entry_id, entry.list_name, entry.name, alias, round(score, 4),
                    tuple(lines),
                )  # fmt: skip
        return sorted(best.values(), key=lambda m: -m.score)[:limit]
