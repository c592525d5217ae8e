"""Vectorised scoring: one query against all its candidate aliases at once.

``matcher.part_similarity`` and ``matcher.score_names`` state the rules for one pair; they are
kept for the explanation lines of reported matches and as the reference the tests compare with.
Here the same numbers are computed for every candidate of a query together:

- ``part_matrix``: every query part against every distinct listed part of the candidates, the
  string distances in one rapidfuzz ``cdist`` call per kind of key (consonant skeletons, fine
  spelling keys), the lexicon rules as numpy masks;
- ``name_scores``: the alignment of parts (most similar first), contradictions, dropped names,
  order and caps as numpy arrays of shape (candidates, query parts, listed parts).

One rule is not vectorised: where two aligned pairs are crossed and uncrossing them costs almost
nothing (``matcher._align``), the result depends on the order of the swaps. Such candidates are
flagged, and the caller scores them with ``score_names``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from borderpost.screening.normalise import CANON_FINE_KEYS, NamePart, fine_key
from borderpost.screening.translit import COMMON_NAMES, FAMILY_NAMES

# The weights of the rules (matcher.py imports them from here).
MATCH_MIN = 0.75  # part similarity from which two parts count as the same name
WEAK_MIN = 0.6  # below MATCH_MIN: probably the same name misspelt, counted at a discount
WEAK_DISCOUNT = 0.7
CONTRADICTION = 2.5  # weight multiplier of a listed part the query contradicts
COMMON_ONLY_CAP = 0.7  # only common names agree and listed names are missing
ORDER_PENALTY = 0.66  # per pair of given names in swapped order (Ahmad Muhammad vs Muhammad
# Ahmad): keeps even an otherwise perfect name under the threshold
DROPPED = 0.3  # weight multiplier of a part only one side has
SINGLE_PART_CAP = 0.6  # agreement on one part alone stays below the threshold
ROLE_WEIGHT = {"family": 1.5, "given": 1.0, "father": 0.8, "other": 0.6}
SWAP_SLACK = 0.06  # matcher._align uncrosses two pairs when that costs at most this much

_CANON_IDS: dict[str, int] = {}  # lexicon names as small integers (grows with the lexicon only)
_COMPOUND_IDS: dict[tuple[str, str], int] = {}


def _canon_id(canon: str) -> int:
    return _CANON_IDS.setdefault(canon, len(_CANON_IDS))


@dataclass(frozen=True, slots=True)
class PartFeatures:
    """What the rules look at, for a sequence of name parts, as arrays."""

    canon: np.ndarray  # int64 lexicon name, -1 for none
    conf: np.ndarray  # float64
    compound: np.ndarray  # int64 (prefix, suffix)
    arabic: np.ndarray  # bool: written in Arabic script
    resolved: np.ndarray  # bool: a lexicon name or candidate names (ambiguous spelling)
    first: np.ndarray  # int64 first letter of the skeleton
    skeleton: np.ndarray  # int64 number of the skeleton: equal numbers, equal skeletons
    long: np.ndarray  # bool: skeleton of 3 letters or more
    article: np.ndarray  # bool
    family: np.ndarray  # bool: the lexicon name is a family name or nisba
    common: np.ndarray  # bool: the whole name is a very common given name
    coarse: list[str]
    fine: list[tuple[str, ...]]
    sets: list[frozenset[int]]  # {canon} or the candidate names, as ids

    @classmethod
    def of(cls, parts: Sequence[NamePart], skeletons: Sequence[int]) -> PartFeatures:
        canon = [_canon_id(p.canon) if p.canon else -1 for p in parts]
        sets = [
            frozenset((c,)) if c >= 0 else frozenset(map(_canon_id, p.maybe))
            for c, p in zip(canon, parts, strict=True)
        ]
        return cls(
            canon=np.array(canon, dtype=np.int64),
            conf=np.array([p.conf for p in parts], dtype=np.float64),
            compound=np.array(
                [_COMPOUND_IDS.setdefault((p.prefix, p.suffix), len(_COMPOUND_IDS)) for p in parts],
                dtype=np.int64,
            ),
            arabic=np.array([p.from_arabic for p in parts], dtype=bool),
            resolved=np.array([bool(s) for s in sets], dtype=bool),
            first=np.array([ord(p.coarse[0]) for p in parts], dtype=np.int64),
            skeleton=np.array(skeletons, dtype=np.int64),
            long=np.array([len(p.coarse) >= 3 for p in parts], dtype=bool),
            article=np.array([p.article for p in parts], dtype=bool),
            family=np.array([p.canon in FAMILY_NAMES for p in parts], dtype=bool),
            common=np.array([p.identity in COMMON_NAMES for p in parts], dtype=bool),
            coarse=[p.coarse for p in parts],
            fine=[CANON_FINE_KEYS.get(p.canon or "") or (fine_key(p.latin),) for p in parts],
            sets=sets,
        )


def _key_similarity(q_keys: list[tuple[str, ...]], a_keys: list[tuple[str, ...]]) -> np.ndarray:
    """Best OSA similarity between any key of each query part and any key of each listed part."""
    q_flat = [k for keys in q_keys for k in keys]
    a_flat = [k for keys in a_keys for k in keys]
    sim = process.cdist(q_flat, a_flat, scorer=OSA.normalized_similarity, dtype=np.float64)
    if len(q_flat) > len(q_keys):
        sim = np.maximum.reduceat(sim, _starts(q_keys), axis=0)
    if len(a_flat) > len(a_keys):
        sim = np.maximum.reduceat(sim, _starts(a_keys), axis=1)
    return sim


def _starts(keys: list[tuple[str, ...]]) -> np.ndarray:
    return np.concatenate(([0], np.cumsum([len(k) for k in keys])[:-1]))


def part_matrix(q: PartFeatures, a: PartFeatures, cols: np.ndarray) -> np.ndarray:
    """part_similarity of every query part (rows) with the listed parts ``cols`` of ``a``."""
    a_canon, a_resolved, a_arabic = a.canon[cols], a.resolved[cols], a.arabic[cols]
    both_canon = (q.canon[:, None] >= 0) & (a_canon[None, :] >= 0)
    same_canon = both_canon & (q.canon[:, None] == a_canon[None, :])
    both_sets = q.resolved[:, None] & a_resolved[None, :] & ~both_canon
    arabic = q.arabic[:, None] | a_arabic[None, :]
    spelled = ~both_canon & ~both_sets & ~arabic

    shared = np.zeros(both_sets.shape, dtype=bool)  # the candidate names overlap
    if both_sets.any():
        for qi in np.flatnonzero(both_sets.any(axis=1)).tolist():
            names = q.sets[qi]
            for name in names:
                shared[qi] |= a_canon == name
            for j in np.flatnonzero(both_sets[qi] & (a_canon < 0)).tolist():
                shared[qi, j] = not names.isdisjoint(a.sets[cols[j]])

    # String distances only where a rule reads them: skeletons where Arabic script is met,
    # fine spelling keys between Latin spellings.
    likeness = np.zeros(both_sets.shape)
    skeletal = ~both_canon & ~both_sets & arabic
    if skeletal.any():
        rows, cs = np.flatnonzero(skeletal.any(axis=1)), np.flatnonzero(skeletal.any(axis=0))
        likeness[np.ix_(rows, cs)] = 0.95 * process.cdist(
            [q.coarse[i] for i in rows],
            [a.coarse[cols[j]] for j in cs],
            scorer=OSA.normalized_similarity,
            dtype=np.float64,
        )
    if spelled.any():
        rows, cs = np.flatnonzero(spelled.any(axis=1)), np.flatnonzero(spelled.any(axis=0))
        spelling = np.zeros(both_sets.shape)
        spelling[np.ix_(rows, cs)] = _key_similarity(
            [q.fine[i] for i in rows], [a.fine[cols[j]] for j in cs]
        )
        same_skeleton = (q.skeleton[:, None] == a.skeleton[cols][None, :]) & q.long[:, None]
        spelling = np.where(same_skeleton, np.maximum(spelling, 0.85), spelling)
        likeness = np.where(arabic, likeness, spelling)
    other_first = q.first[:, None] != a.first[cols][None, :]
    likeness = np.where((likeness < MATCH_MIN) & other_first, 0.0, likeness)
    conf = np.minimum(q.conf[:, None], a.conf[cols][None, :])
    core = np.where(
        both_canon,
        np.where(same_canon, conf, 0.0),
        np.where(both_sets, np.where(shared, 0.85, 0.0), likeness),
    )
    return np.where(q.compound[:, None] != a.compound[cols][None, :], core * 0.5, core)


@dataclass(frozen=True, slots=True)
class Candidates:
    """The listed parts of C candidate aliases, padded to L parts: ``cols`` index the columns of
    the part matrix (-1 past an alias's end); the flags are the listed parts' features."""

    cols: np.ndarray  # (C, L) int
    lens: np.ndarray  # (C,) int
    article: np.ndarray  # (C, L) bool
    family: np.ndarray  # (C, L) bool
    common: np.ndarray  # (C, L) bool


def name_scores(
    sim: np.ndarray, query_common: np.ndarray, cand: Candidates
) -> tuple[np.ndarray, np.ndarray]:
    """score_names for every candidate: (scores, needs_exact). ``sim`` is the part matrix (query
    parts x distinct listed parts); a candidate flagged in ``needs_exact`` has crossed pairs that
    matcher._align would uncross, and must be scored by score_names instead."""
    n_c, n_l = cand.cols.shape
    n_q = sim.shape[0]
    rows = np.arange(n_c)
    valid = cand.cols >= 0
    table = sim[:, np.where(valid, cand.cols, 0)].transpose(1, 0, 2)  # (C, Q, L)
    table = np.where(valid[:, None, :] & (table >= WEAK_MIN), table, -1.0)

    pos = np.arange(n_l)[None, :]
    n = cand.lens[:, None]
    family = valid & (cand.article | ((pos == n - 1) & (n >= 2) & ((n >= 4) | cand.family)))
    w = ROLE_WEIGHT
    base = np.where(
        family,
        w["family"],
        np.where(pos == 0, w["given"], np.where(pos == 1, w["father"], w["other"])),
    )
    weights = base * np.where(cand.common, 0.5, 1.0)

    # Greedy alignment, most similar pair first; ties in (query part, listed part) order, which
    # is the order argmax finds them in.
    n_k = min(n_q, n_l)
    work = table.reshape(n_c, n_q * n_l).copy()
    pq = np.full((n_c, n_k), -1)
    pa = np.full((n_c, n_k), -1)
    ps = np.zeros((n_c, n_k))
    grid = work.reshape(n_c, n_q, n_l)
    for k in range(n_k):
        best = work.argmax(axis=1)
        value = work[rows, best]
        ok = value >= 0
        if not ok.any():
            break
        qi, ai = np.divmod(best, n_l)
        pq[:, k] = np.where(ok, qi, -1)
        pa[:, k] = np.where(ok, ai, -1)
        ps[:, k] = np.where(ok, value, 0.0)
        grid[rows, qi, :] = -1.0  # harmless where nothing was left (all -1 already)
        grid[rows, :, ai] = -1.0
    used = pq >= 0
    matched = used.sum(axis=1)
    qi, ai = np.where(used, pq, 0), np.where(used, pa, 0)
    slot_family = family[rows[:, None], ai] & used
    slot_weight = np.where(used, weights[rows[:, None], ai], 0.0)

    # Pairs i < j (in alignment order) as (C, K, K) arrays.
    both = used[:, :, None] & used[:, None, :]
    q_i, q_j = qi[:, :, None], qi[:, None, :]
    a_i, a_j = ai[:, :, None], ai[:, None, :]
    given_pair = both & ~slot_family[:, :, None] & ~slot_family[:, None, :]
    crossed = (q_i < q_j) != (a_i < a_j)
    swap_1 = table[rows[:, None, None], q_i, a_j]
    swap_2 = table[rows[:, None, None], q_j, a_i]
    upper = np.triu(np.ones((n_k, n_k), dtype=bool), 1)
    needs_exact = (
        upper
        & given_pair
        & crossed
        & (swap_1 >= 0)
        & (swap_2 >= 0)
        & (swap_1 + swap_2 >= ps[:, :, None] + ps[:, None, :] - SWAP_SLACK)
    ).any(axis=(1, 2))

    # Given names in another order; from three names on, also read with the last listed part
    # moved to the front (matcher._inversions).
    inverted = both & (a_i < a_j) & (q_i > q_j)
    inversions = (inverted & given_pair).sum(axis=(1, 2))
    last = np.where(used, pa, -1).argmax(axis=1)
    rotated = inverted.copy()
    rotated[rows, last, :] = False
    rotated[rows, :, last] = False
    rotate = (inversions > 0) & (matched >= 3) & (qi[rows, last] == 0)
    inversions = np.where(rotate, np.minimum(inversions, rotated.sum(axis=(1, 2))), inversions)

    credit = np.where(ps >= MATCH_MIN, ps, ps * WEAK_DISCOUNT)
    num = (slot_weight * credit).sum(axis=1)  # slot_weight is 0 in empty slots
    den = slot_weight.sum(axis=1)

    # Listed parts left over: contradicted while query parts are left over too (heaviest first),
    # otherwise dropped; query parts beyond those, not in the listed name.
    taken_a = np.zeros((n_c, n_l + 1), dtype=bool)  # the last column takes the empty slots
    taken_a[rows[:, None], np.where(used, pa, n_l)] = True
    free_a = valid & ~taken_a[:, :n_l]
    taken_q = np.zeros((n_c, n_q + 1), dtype=bool)
    taken_q[rows[:, None], np.where(used, pq, n_q)] = True
    free_q = ~taken_q[:, :n_q]
    n_free_q = free_q.sum(axis=1)
    n_free_a = free_a.sum(axis=1)
    order = np.argsort(np.where(free_a, -base, np.inf), axis=1, kind="stable")
    contradicted = np.zeros((n_c, n_l), dtype=bool)
    contradicted[rows[:, None], order] = np.arange(n_l)[None, :] < n_free_q[:, None]
    left = np.where(contradicted, base * CONTRADICTION, weights * DROPPED)
    den = den + np.where(free_a, left, 0.0).sum(axis=1)
    q_rank = np.cumsum(free_q, axis=1) - 1
    extra = free_q & (q_rank >= n_free_a[:, None])
    q_weight = np.where(query_common, 0.5, 1.0) * DROPPED
    den = den + (extra * q_weight[None, :]).sum(axis=1)

    ok = (matched > 0) & (den > 0)
    score = np.where(ok, num / np.where(ok, den, 1.0), 0.0)
    single = (matched == 1) & ((cand.lens > 1) | (n_q > 1))
    score = np.where(single, np.minimum(score, SINGLE_PART_CAP), score)
    all_common = ~(used & ~cand.common[rows[:, None], ai]).any(axis=1)
    score = np.where(all_common & (n_free_a > 0), np.minimum(score, COMMON_ONLY_CAP), score)
    score = np.where(inversions > 0, score * ORDER_PENALTY ** inversions.astype(np.float64), score)
    return score, needs_exact
