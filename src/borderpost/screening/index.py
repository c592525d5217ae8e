"""Candidate search: postings of name-part keys, so a query never scans the whole list.

Every alias is filed under
- each unordered PAIR of its parts' coarse keys (Abdulrahman+Jubouri, Kadhim+Jubouri, ...): a
  match shares at least two names with the alias, and pairs are far more selective than single
  names (thousands of Mohammeds, few Mohammed+Jubouri);
- each single key (used only when its posting is short: a two-name query with a typo in one);
- its whole key set (so an alias made only of very common names, "Mohammed Ali", is still found).

Postings are one sorted ``array('q')`` of packed integers ``(key_a, key_b, alias_id)``: about
8 bytes per posting and no per-key Python objects, which keeps a million aliases well under the
memory budget. A posting range is found with two binary searches.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from heapq import nlargest
from itertools import combinations
from math import log
from operator import itemgetter

ALIAS_BITS = 23  # up to 8.3 million aliases
KEY_BITS = 20  # up to 1 million distinct keys
MAX_ALIASES = 1 << ALIAS_BITS
_FULLSET = (1 << KEY_BITS) - 1  # reserved key id: the second half is a hash of the key set
_KEY_MASK = _FULLSET - 1

POSTING_CAP = 1_500  # longer postings (very common pairs) are not read
SINGLE_CAP = 300  # single-key postings are read only when this short
READ_BUDGET = 3_000  # postings read per query, shortest first
MAX_CANDIDATES = 50  # aliases handed to precise scoring


def _code(a: int, b: int) -> int:
    if a > b:
        a, b = b, a
    return ((a << KEY_BITS) | b) << ALIAS_BITS


def _fullset_code(keys: Iterable[int]) -> int:
    return _code(_FULLSET, hash(tuple(sorted(set(keys)))) & _KEY_MASK)


class PostingIndex:
    """Maps sets of coarse keys to alias ids. Knows nothing of names or entries."""

    def __init__(self) -> None:
        self._key_ids: dict[str, int] = {}
        self._pending: array[int] = array("q")
        self._codes: array[int] = array("q")

    def key_id(self, key: str, *, create: bool) -> int | None:
        kid = self._key_ids.get(key)
        if kid is None and create:
            kid = len(self._key_ids)
            if kid >= _KEY_MASK:
                raise ValueError("too many distinct name keys for the index")
            self._key_ids[key] = kid
        return kid

    def add(self, alias_id: int, keys: list[str]) -> None:
        if alias_id >= MAX_ALIASES:
            raise ValueError("too many aliases for the index")
        ids = sorted({self.key_id(k, create=True) for k in keys})  # type: ignore[type-var]
        out = self._pending
        for kid in ids:
            out.append(_code(kid, kid) | alias_id)
        for a, b in combinations(ids, 2):
            out.append(_code(a, b) | alias_id)
        out.append(_fullset_code(ids) | alias_id)

    def freeze(self) -> None:
        """Sort the postings; call once after the last add()."""
        self._codes = array("q", sorted(self._pending))
        self._pending = array("q")

    def _range(self, code: int) -> tuple[int, int]:
        lo = bisect_left(self._codes, code)
        hi = bisect_left(self._codes, code + (1 << ALIAS_BITS), lo)
        return lo, hi

    def candidates(self, keys: list[str]) -> list[int]:
        """Alias ids sharing the most (and the rarest) key pairs with the query, best first."""
        ids = sorted({kid for k in keys if (kid := self.key_id(k, create=False)) is not None})
        ranges: list[tuple[int, int, int, int]] = []  # (size, weight, lo, hi)
        if len(ids) == len(set(keys)):
            lo, hi = self._range(_fullset_code(ids))
            if hi > lo:
                ranges.append((hi - lo, 3, lo, hi))
        for a, b in combinations(ids, 2):
            lo, hi = self._range(_code(a, b))
            if 0 < hi - lo <= POSTING_CAP:
                ranges.append((hi - lo, 2, lo, hi))
        for kid in ids:
            lo, hi = self._range(_code(kid, kid))
            if 0 < hi - lo <= SINGLE_CAP:
                ranges.append((hi - lo, 1, lo, hi))
        ranges.sort()
        counts: dict[int, float] = {}
        get = counts.get
        read, mask = 0, MAX_ALIASES - 1
        total = len(self._codes) + 1
        codes = self._codes
        for size, weight, lo, hi in ranges:
            if read + size > READ_BUDGET and read:
                break
            read += size
            # sharing a rare pair (a family name with a given name) says more than a common one
            gain = weight * log(total / size)
            for alias in map(mask.__and__, codes[lo:hi]):
                counts[alias] = get(alias, 0.0) + gain
        # best first; ties in first-seen order (as Counter.most_common)
        return [alias for alias, _ in nlargest(MAX_CANDIDATES, counts.items(), key=itemgetter(1))]

    def __len__(self) -> int:
        return len(self._codes)
