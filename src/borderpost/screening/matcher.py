"""Watchlist screening: find listed people whose names match a traveller's name.

Two stages. ``NameIndex.search`` asks the posting index (index.py) for the few aliases that
share name keys with the query, then scores them, part by part. The rules are written here for
one pair (``part_similarity``, ``score_names``); scoring.py computes the same numbers for all
candidates at once, and only the few that can reach the threshold are scored again here, with
their explanation:

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

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import product

import numpy as np
from rapidfuzz.distance import OSA

from borderpost.screening.companies import CompanyIndex
from borderpost.screening.index import PostingIndex
from borderpost.screening.normalise import (
    CANON_FINE_KEYS,
    MAX_NAME_LENGTH,
    NamePart,
    fine_key,
    parse,
)
from borderpost.screening.scoring import (
    COMMON_ONLY_CAP,
    CONTRADICTION,
    DROPPED,
    MATCH_MIN,
    ORDER_PENALTY,
    ROLE_WEIGHT,
    SINGLE_PART_CAP,
    SWAP_SLACK,
    WEAK_DISCOUNT,
    WEAK_MIN,
    Candidates,
    PartFeatures,
    name_scores,
    part_matrix,
)
from borderpost.screening.translit import COMMON_NAMES, DISTINCT_NAMES, FAMILY_NAMES

DEFAULT_THRESHOLD: float = 0.70
"""Scores at or above this are reported as possible matches.

Chosen on the development part of the independent set (bench/make_unseen_set.py: structured
Arabic names, hard negatives), as the threshold with the highest recall whose false-positive
rate stays at or under 0.03; the held-out part and the project's own set are reported at it in
docs/benchmarks-screening.md. A listed person spelled differently, in Arabic script or surname
first scores 0.87-1.0; with middle names dropped or a typo, mostly 0.73-0.97. A different person
who differs in one whole name or shares only common names stays below. Date of birth,
nationality and sex then move a score: an agreeing date of birth halves the distance to 1, a
contradicting year of birth takes 0.15 off, a contradicting sex 0.2.
"""


@dataclass(frozen=True, slots=True)
class WatchEntry:
    """One listed person, or (kind "entity") a listed company or organisation."""

    entry_id: str
    list_name: str
    name: str
    aliases: tuple[str, ...] = ()
    birth_date: str | None = None  # "YYYY-MM-DD" or "YYYY"
    nationality: str | None = None  # ISO 3166-1 alpha-3
    sex: str | None = None  # "M" | "F"
    kind: str = "person"  # "person" | "entity"


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
            NamePart(
                q.text, q.latin, q.canon, q.conf, q.coarse, from_arabic=q.from_arabic, maybe=q.maybe
            ),
            NamePart(
                a.text, a.latin, a.canon, a.conf, a.coarse, from_arabic=a.from_arabic, maybe=a.maybe
            ),
        )
        return core * 0.5, "compound differs"
    if q.canon and a.canon:
        if q.canon == a.canon:
            conf = min(q.conf, a.conf)
            why = "same name" if conf == 1.0 else "same name, misspelt"
            return conf, f"{why}, compound" if q.prefix or q.suffix else why
        if frozenset((q.canon, a.canon)) in DISTINCT_NAMES:
            return 0.0, "look-alike, different names"
        return 0.0, "different names"
    q_set = {q.canon} if q.canon else q.maybe
    a_set = {a.canon} if a.canon else a.maybe
    if q_set and a_set:  # at least one spelling is ambiguous between known names
        if q_set & a_set:
            return 0.85, "ambiguous spelling"
        return 0.0, "different names"
    if q.from_arabic or a.from_arabic:
        # Arabic script without short vowels: only the consonant skeletons can be compared.
        sim = 0.95 * OSA.normalized_similarity(q.coarse, a.coarse)
        return _first_letter(sim, q, a), "skeleton"
    q_keys = CANON_FINE_KEYS.get(q.canon or "") or (fine_key(q.latin),)
    a_keys = CANON_FINE_KEYS.get(a.canon or "") or (fine_key(a.latin),)
    best = max(OSA.normalized_similarity(x, y) for x, y in product(q_keys, a_keys))
    if q.coarse == a.coarse and len(q.coarse) >= 3:
        best = max(best, 0.85)
    return _first_letter(best, q, a), "spelling"


def _first_letter(sim: float, q: NamePart, a: NamePart) -> float:
    """A weak likeness (a probable misspelling) needs the same first letter: typing and
    transliteration slips keep it, while different names that share letters (Asmaa, Jasim;
    Belal, Saleh) differ there."""
    if sim < MATCH_MIN and q.coarse[:1] != a.coarse[:1]:
        return 0.0
    return sim


def _roles(parts: tuple[NamePart, ...]) -> list[str]:
    """Listed names are given-first: given, father, grandfather..., family (or al-/nisba)."""
    n = len(parts)
    roles = []
    for i, p in enumerate(parts):
        if p.article or (i == n - 1 and n >= 2 and (n >= 4 or p.canon in FAMILY_NAMES)):
            roles.append("family")
        else:
            roles.append("given" if i == 0 else "father" if i == 1 else "other")
    return roles


def _inversions(pairs: list[tuple[int, int]], roles: list[str]) -> int:
    """Matched given names (not the family name, which MRZs put first) out of order.

    A document that writes the listed name's last part first (an MRZ whose surname field holds
    the grandfather's name: HUSSEIN ALI KADHIM for Ali Kadhim Hussein) is read in that order
    too, from three names on; with two, the swap stays a swap (father and son).
    """
    ordered = sorted(pairs, key=lambda p: p[1])
    seq = [qi for qi, ai in ordered if roles[ai] != "family"]
    count = sum(1 for i in range(len(seq)) for j in range(i + 1, len(seq)) if seq[i] > seq[j])
    if count and len(pairs) >= 3 and ordered[-1][0] == 0:
        rot = [qi for qi, _ in ordered[:-1]]
        count = min(
            count,
            sum(1 for i in range(len(rot)) for j in range(i + 1, len(rot)) if rot[i] > rot[j]),
        )
    return count


def _align(
    table: dict[tuple[int, int], tuple[float, str]], roles: list[str]
) -> list[tuple[int, int]]:
    """Pair query and listed parts, most similar first; then, where two pairs are crossed and
    uncrossing them costs (almost) nothing, uncross them: Muhammad Muhammad Ammar written
    surname-first must not look like a reordering of its two Muhammads.
    """
    pairs: list[tuple[int, int]] = []
    used_q: set[int] = set()
    used_a: set[int] = set()
    # most similar first; ties in query-part, then listed-part order
    for (qi, ai), _ in sorted(table.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if qi not in used_q and ai not in used_a:
            pairs.append((qi, ai))
            used_q.add(qi)
            used_a.add(ai)
    for _ in range(len(pairs) ** 2):
        changed = False
        for i in range(len(pairs)):
            for j in range(i + 1, len(pairs)):
                (qa, aa), (qb, ab) = pairs[i], pairs[j]
                if "family" in (roles[aa], roles[ab]) or (qa < qb) == (aa < ab):
                    continue
                now = table[(qa, aa)][0] + table[(qb, ab)][0]
                if (qa, ab) in table and (qb, aa) in table:
                    swapped = table[(qa, ab)][0] + table[(qb, aa)][0]
                    if swapped >= now - SWAP_SLACK:
                        pairs[i], pairs[j] = (qa, ab), (qb, aa)
                        changed = True
        if not changed:
            break
    return pairs


PartMemo = dict[tuple[int, int], tuple[float, str, NamePart, NamePart]]
RowMemo = dict[int, tuple[NamePart, tuple[tuple[int, float, str], ...]]]


def _alike(
    query: tuple[NamePart, ...], a: NamePart, memo: PartMemo
) -> tuple[tuple[int, float, str], ...]:
    """(query part number, similarity, reason) of every query part alike enough to ``a``."""
    out = []
    for qi, q in enumerate(query):
        key = (id(q), id(a))  # the memo holds `q` and `a`: their ids cannot be reused meanwhile
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = (*part_similarity(q, a), q, a)
        if hit[0] >= WEAK_MIN:
            out.append((qi, hit[0], hit[1]))
    return tuple(out)


def score_names(
    query: tuple[NamePart, ...],
    alias: tuple[NamePart, ...],
    memo: PartMemo | None = None,
    *,
    explain: bool = True,
    rows: RowMemo | None = None,
) -> tuple[float, tuple[str, ...]]:
    """Name score in [0, 1] and, with ``explain``, one explanation line per name part.

    ``memo`` caches part similarities across candidates and queries (parts are shared:
    make_part returns the same object for the same name); ``rows``, for one query only, which
    query parts each listed part is alike to. ``explain=False`` gives the same score without
    building the lines, for the many candidates that will not be reported.
    """
    memo = {} if memo is None else memo
    rows = {} if rows is None else rows
    table: dict[tuple[int, int], tuple[float, str]] = {}
    for ai, a in enumerate(alias):
        row = rows.get(id(a))
        if row is None:
            row = rows[id(a)] = (a, _alike(query, a, memo))
        for qi, sim, why in row[1]:
            table[(qi, ai)] = (sim, why)
    if not table and not explain:  # nothing alike: the score is 0 (no pair matched)
        return 0.0, ()
    roles = _roles(alias)
    pairs = _align(table, roles)
    # a contradiction weighs the role's full weight; agreement on a common name counts half
    base = [ROLE_WEIGHT[r] for r in roles]
    weights = [
        w * (0.5 if p.identity in COMMON_NAMES else 1.0) for w, p in zip(base, alias, strict=True)
    ]
    used_q = {qi for qi, _ in pairs}
    used_a = {ai for _, ai in pairs}
    num = den = 0.0
    lines: list[str] = []
    all_common = True
    for qi, ai in pairs:
        sim, why = table[(qi, ai)]
        credit = sim if sim >= MATCH_MIN else sim * WEAK_DISCOUNT
        num += weights[ai] * credit
        den += weights[ai]
        all_common = all_common and alias[ai].identity in COMMON_NAMES
        if explain:
            lines.append(f"{query[qi].text} ~ {alias[ai].text} ({why}, {sim:.2f})")
    matched = len(used_a)
    inversions = _inversions(pairs, roles)
    free_a = sorted((i for i in range(len(alias)) if i not in used_a), key=lambda i: -base[i])
    free_q = [i for i in range(len(query)) if i not in used_q]
    for k, ai in enumerate(free_a):
        if k < len(free_q):
            den += base[ai] * CONTRADICTION
            if explain:
                lines.append(f"{query[free_q[k]].text} ≠ {alias[ai].text} (contradicts)")
        else:
            den += weights[ai] * DROPPED
            if explain:
                lines.append(f"{alias[ai].text}: not in query (dropped)")
    for qi in free_q[len(free_a) :]:
        w = 0.5 if query[qi].identity in COMMON_NAMES else 1.0
        den += w * DROPPED
        if explain:
            lines.append(f"{query[qi].text}: not in listed name")
    if matched == 0 or den == 0:
        return 0.0, tuple(lines)
    score = num / den
    if matched == 1 and (len(alias) > 1 or len(query) > 1):
        score = min(score, SINGLE_PART_CAP)
    if all_common and free_a:
        score = min(score, COMMON_ONLY_CAP)
    if inversions:
        score *= ORDER_PENALTY**inversions
        lines.append("given names in another order (father and son?)")
    return score, tuple(lines)


def adjust_for_facts(
    score: float,
    lines: list[str],
    *,
    q_birth: str | None,
    a_birth: str | None,
    q_nat: str | None,
    a_nat: str | None,
    q_sex: str | None = None,
    a_sex: str | None = None,
) -> float:
    """Date of birth, nationality and sex, when both sides have them: agreement raises the score,
    contradiction lowers it. A birth year alone that differs never decides (lists give
    approximate years), nor does nationality (people hold several)."""
    if q_birth and a_birth:
        if len(q_birth) >= 10 and len(a_birth) >= 10 and q_birth[:10] == a_birth[:10]:
            score += (1 - score) * 0.5
            lines.append("date of birth agrees")
        elif q_birth[:4] == a_birth[:4]:
            score += (1 - score) * 0.25
            lines.append("year of birth agrees")
        elif (
            q_birth[:4].isdigit()
            and a_birth[:4].isdigit()
            and abs(int(q_birth[:4]) - int(a_birth[:4])) <= 1
        ):
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
    if q_sex and a_sex and q_sex in "MF" and a_sex in "MF":
        if q_sex == a_sex:
            score += (1 - score) * 0.05
            lines.append("sex agrees")
        else:  # Majid is not Aisha: a listed woman is not a man of the same family
            score -= 0.2
            lines.append("sex differs")
    return min(1.0, max(0.0, score))


def _best_case(
    scores: np.ndarray, *, q_birth: str | None, q_nat: str | None, q_sex: str | None
) -> np.ndarray:
    """The highest adjust_for_facts can take each score: every fact agreeing (a listed person
    with the query's own date of birth, nationality and sex). Agreement moves a score part of the
    way to 1, so that adjustment is affine: s -> floor + (1 - floor) * s."""
    floor = adjust_for_facts(
        0.0,
        [],
        q_birth=q_birth,
        a_birth=q_birth,
        q_nat=q_nat,
        a_nat=q_nat,
        q_sex=q_sex,
        a_sex=q_sex,
    )
    return floor + (1.0 - floor) * scores


def _matchable(alias: str) -> str:
    """A listed name longer than a query may be is matched on its first words."""
    if len(alias) <= MAX_NAME_LENGTH:
        return alias
    return alias[:MAX_NAME_LENGTH].rsplit(" ", 1)[0]


SCORED_ONE_BY_ONE = 12  # candidates up to which the one-pair scorer is the cheaper (bench)
FACT_SLACK = 1e-9  # vectorised and one-pair scores agree to far better than this (tested)


class NameIndex:
    """All aliases of all listed people, searchable by name; listed entities apart."""

    def __init__(self) -> None:
        self._postings = PostingIndex()
        self._entries: list[WatchEntry] = []
        self._alias_text: list[str] = []
        self._alias_entry: list[int] = []
        # The parts of alias i are _parts[k] for k in _part_ids[_part_start[i]:_part_start[i+1]]:
        # each distinct part (make_part shares them) is stored and described once.
        self._parts: list[NamePart] = []
        self._part_ids = array("i")
        self._part_start = array("q", [0])
        self._features = PartFeatures.of([], [])
        self._ids_np = np.zeros(0, dtype=np.int32)
        self._start_np = np.zeros(1, dtype=np.int64)
        self.companies = CompanyIndex()  # the listed entities, searched by search_companies

    @classmethod
    def build(
        cls, entries: Iterable[WatchEntry], progress: Callable[[int], None] | None = None
    ) -> NameIndex:
        """Index every name and alias; ``progress`` is called with the entries done so far."""
        index = cls()
        part_no: dict[int, int] = {}  # id of a shared part -> its number (the part is kept)
        parts_list, part_ids, part_start = index._parts, index._part_ids, index._part_start
        postings = index._postings
        part_key = array("q")  # the index key of each part (its consonant skeleton's number)
        for n, entry in enumerate(entries, 1):
            entry_no = len(index._entries)
            index._entries.append(entry)
            if entry.kind != "person":
                index.companies.add(entry_no, (entry.name, *entry.aliases))
                continue
            for alias in dict.fromkeys((entry.name, *entry.aliases)):
                try:
                    parts = parse(_matchable(alias))
                except ValueError:
                    continue  # an unusable alias does not block the entry's other names
                for p in parts:
                    k = part_no.get(id(p))
                    if k is None:
                        k = part_no[id(p)] = len(parts_list)
                        parts_list.append(p)
                        part_key.append(postings.key_id(p.coarse, create=True))  # type: ignore[arg-type]
                    part_ids.append(k)
                part_start.append(len(part_ids))
                index._alias_text.append(alias)
                index._alias_entry.append(entry_no)
            if progress is not None and n % 10_000 == 0:
                progress(n)
        index._ids_np = np.frombuffer(part_ids, dtype=np.int32)
        index._start_np = np.frombuffer(part_start, dtype=np.int64)
        postings.build(np.frombuffer(part_key, dtype=np.int64)[index._ids_np], index._start_np)
        index._features = PartFeatures.of(parts_list, part_key)
        if progress is not None:
            progress(len(index._entries))
        return index

    def __len__(self) -> int:
        return len(self._alias_text)

    def _alias_parts(self, alias_id: int) -> tuple[NamePart, ...]:
        ids = self._part_ids[self._part_start[alias_id] : self._part_start[alias_id + 1]]
        return tuple(self._parts[k] for k in ids)

    def _name_scores(
        self, query: tuple[NamePart, ...], aliases: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Name scores of the candidate aliases (scoring.name_scores) and which of them need
        the one-pair scorer."""
        starts = self._start_np[aliases]
        lens = self._start_np[aliases + 1] - starts
        width = np.arange(int(lens.max()))
        valid = width[None, :] < lens[:, None]
        ids = self._ids_np[np.where(valid, starts[:, None] + width[None, :], 0)]
        distinct, column = np.unique(ids[valid], return_inverse=True)
        cols = np.full(ids.shape, -1)
        cols[valid] = column
        f = self._features
        key_id = self._postings.key_id
        q = PartFeatures.of(
            query, [-1 - i if (k := key_id(p.coarse, create=False)) is None else k
                    for i, p in enumerate(query)]
        )  # fmt: skip
        sim = part_matrix(q, f, distinct)
        cand = Candidates(cols, lens, f.article[ids], f.family[ids], f.common[ids])
        return name_scores(sim, q.common, cand)

    def search(
        self,
        name: str,
        *,
        birth_date: date | str | None = None,
        nationality: str | None = None,
        sex: str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
        memo: PartMemo | None = None,
    ) -> list[Match]:
        """Listed people matching ``name`` at or above ``threshold``, best first.

        All candidates are scored together (scoring.py); only those whose score can reach the
        threshold are scored again one by one, with their explanation. ``memo`` may be shared by
        the searches of one batch (part similarities do not depend on the list or the facts);
        keep it no longer than the batch.
        """
        query = parse(name)  # raises ValueError for a non-name
        found = self._postings.candidates([p.coarse for p in query])
        if not len(found):
            return []
        q_birth = birth_date.isoformat() if isinstance(birth_date, date) else birth_date
        facts = {"q_birth": q_birth, "q_nat": nationality, "q_sex": sex}
        candidates = found.tolist()
        memo = {} if memo is None else memo
        rows: RowMemo = {}
        if len(candidates) <= SCORED_ONE_BY_ONE:
            # A handful of candidates: numpy's fixed cost per call is more than the one-pair
            # scorer with the batch's memo (the same numbers: tests/screening/test_scoring.py).
            scores = np.array(
                [
                    score_names(query, self._alias_parts(a), memo, explain=False, rows=rows)[0]
                    for a in candidates
                ]
            )
            needs_exact = np.zeros(len(candidates), dtype=bool)
        else:
            scores, needs_exact = self._name_scores(query, found)
        # The facts can only raise a score as far as full agreement does: most candidates stop
        # here without a single call per candidate.
        hopeful = needs_exact | (_best_case(scores, **facts) >= threshold - FACT_SLACK)
        best: dict[int, Match] = {}
        entries, alias_entry = self._entries, self._alias_entry
        for c in np.flatnonzero(hopeful).tolist():
            alias_id = candidates[c]
            entry_no = alias_entry[alias_id]
            entry = entries[entry_no]
            parts = self._alias_parts(alias_id)
            entry_facts = {"a_birth": entry.birth_date, "a_nat": entry.nationality}
            score = (
                score_names(query, parts, memo, explain=False, rows=rows)[0]
                if needs_exact[c]
                else float(scores[c])
            )
            score = adjust_for_facts(score, [], **facts, **entry_facts, a_sex=entry.sex)
            if score < threshold - FACT_SLACK:
                continue
            # The reported score and its explanation, from the one-pair scorer.
            score, why = score_names(query, parts, memo, rows=rows)
            lines = list(why)
            score = adjust_for_facts(score, lines, **facts, **entry_facts, a_sex=entry.sex)
            if score < threshold or (entry_no in best and best[entry_no].score >= score):
                continue
            best[entry_no] = Match(
                entry.entry_id,
                entry.list_name,
                entry.name,
                self._alias_text[alias_id],
                round(score, 4),
                tuple(lines),
            )
        return sorted(best.values(), key=lambda m: -m.score)[:limit]

    def search_companies(
        self, name: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 10
    ) -> list[Match]:
        """Listed entities whose names match a company name (see companies.py)."""
        out = []
        for hit in self.companies.search(name, limit=limit):
            if hit.score < threshold:
                continue
            entry = self._entries[hit.entry_no]
            why = (f"company name {hit.alias!r} (legal form and filler words aside)",)
            out.append(
                Match(entry.entry_id, entry.list_name, entry.name, hit.alias, hit.score, why)
            )
        return out
