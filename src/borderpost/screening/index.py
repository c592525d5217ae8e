"""Candidate search: postings of name-part keys, so a query never scans the whole list.

Every alias is filed under
- each unordered PAIR of its parts' coarse keys (Abdulrahman+Jubouri, Kadhim+Jubouri, ...): a
  match shares at least two names with the alias, and pairs are far more selective than single
  names (thousands of Mohammeds, few Mohammed+Jubouri);
- each single key (used only when its posting is short: a two-name query with a typo in one);
- its whole key set (so an alias made only of very common names, "Mohammed Ali", is still found).

Postings are one sorted numpy ``int64`` array of packed integers ``(key_a, key_b, alias_id)``:
about
8 bytes per posting and no per-key Python objects, which keeps a million aliases well under the
memory budget. A posting range is found with two binary searches.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from math import log

import numpy as np

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


# The hash of a key set: xxHash-style mixing of the sorted key ids, as CPython hashes a tuple of
# small ints, written with numpy so that a whole list's key sets are hashed at once.
_PRIME_1 = np.uint64(11400714785074694791)
_PRIME_2 = np.uint64(14029467366897019727)
_PRIME_5 = np.uint64(2870177450012600261)


def _set_hash(keys: np.ndarray) -> np.ndarray:
    """Hash of each row of ``keys`` (sorted distinct key ids), in [0, _KEY_MASK]."""
    acc = np.full(keys.shape[0], _PRIME_5, dtype=np.uint64)
    lanes = keys.astype(np.uint64)
    for j in range(keys.shape[1]):
        acc = acc + lanes[:, j] * _PRIME_2
        acc = (acc << np.uint64(31)) | (acc >> np.uint64(33))
        acc = acc * _PRIME_1
    acc = acc + (np.uint64(keys.shape[1]) ^ (_PRIME_5 ^ np.uint64(3527539)))
    return (acc & np.uint64(_KEY_MASK)).astype(np.int64)


def _fullset_code(keys: Iterable[int]) -> int:
    row = np.array([sorted(set(keys))], dtype=np.int64)
    return _code(_FULLSET, int(_set_hash(row)[0]))


def _postings(keys: np.ndarray) -> np.ndarray:
    """Codes (without alias id) of aliases that have the same number m of distinct keys, one
    alias a row of ``keys`` (n x m, sorted): each key alone, each pair, the whole set."""
    rows = keys.shape[1]
    singles = [((keys[:, j] << KEY_BITS) | keys[:, j]) << ALIAS_BITS for j in range(rows)]
    pairs = [((keys[:, i] << KEY_BITS) | keys[:, j]) << ALIAS_BITS
             for i, j in combinations(range(rows), 2)]  # fmt: skip
    whole = ((_set_hash(keys) << KEY_BITS) | _FULLSET) << ALIAS_BITS
    return np.stack([*singles, *pairs, whole], axis=1)


class PostingIndex:
    """Maps sets of coarse keys to alias ids. Knows nothing of names or entries."""

    def __init__(self) -> None:
        self._key_ids: dict[str, int] = {}
        self._codes = np.zeros(0, dtype=np.int64)

    def key_id(self, key: str, *, create: bool) -> int | None:
        kid = self._key_ids.get(key)
        if kid is None and create:
            kid = len(self._key_ids)
            if kid >= _KEY_MASK:
                raise ValueError("too many distinct name keys for the index")
            self._key_ids[key] = kid
        return kid

    def build(self, keys: np.ndarray, starts: np.ndarray) -> None:
        """File every alias: alias i has the key ids ``keys[starts[i]:starts[i + 1]]`` (from
        key_id). All postings are made and sorted with numpy, a few passes over the list."""
        n = len(starts) - 1
        if n >= MAX_ALIASES:
            raise ValueError("too many aliases for the index")
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(starts))
        # distinct keys of each alias, sorted: (alias, key) pairs sorted and made unique
        pairs = np.unique((owner << KEY_BITS) | keys.astype(np.int64))
        owner, kid = pairs >> KEY_BITS, pairs & ((1 << KEY_BITS) - 1)
        count = np.bincount(owner, minlength=n)
        first = np.concatenate(([0], np.cumsum(count)[:-1]))
        chunks = []
        for m in np.unique(count[count > 0]).tolist():
            aliases = np.flatnonzero(count == m)
            rows = kid[first[aliases][:, None] + np.arange(m)[None, :]]
            chunks.append((_postings(rows) | aliases[:, None]).ravel())
        codes = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
        codes.sort()
        self._codes = codes

    def candidates(self, keys: list[str]) -> np.ndarray:
        """Alias ids sharing the most (and the rarest) key pairs with the query, best first."""
        ids = sorted({kid for k in keys if (kid := self.key_id(k, create=False)) is not None})
        codes, weights, caps = [], [], []
        if len(ids) == len(set(keys)):
            codes.append(_fullset_code(ids))
            weights.append(3)
            caps.append(1 << 62)  # read whatever its length
        for a, b in combinations(ids, 2):
            codes.append(_code(a, b))
            weights.append(2)
            caps.append(POSTING_CAP)
        for kid in ids:
            codes.append(_code(kid, kid))
            weights.append(1)
            caps.append(SINGLE_CAP)
        if not codes:
            return np.zeros(0, dtype=np.int64)
        wanted = np.array(codes, dtype=np.int64)
        # both ends of every posting in one call
        ends = np.searchsorted(self._codes, np.concatenate((wanted, wanted + (1 << ALIAS_BITS))))
        los, his = ends[: len(codes)].tolist(), ends[len(codes) :].tolist()
        ranges = sorted(
            (hi - lo, w, lo, hi)
            for lo, hi, w, cap in zip(los, his, weights, caps, strict=True)
            if 0 < hi - lo <= cap
        )
        total = len(self._codes) + 1
        read = 0
        chunks, gains = [], []
        for size, weight, lo, hi in ranges:
            if read + size > READ_BUDGET and read:
                break
            read += size
            chunks.append(self._codes[lo:hi])
            # sharing a rare pair (a family name with a given name) says more than a common one
            gains.append(weight * log(total / size))
        if not chunks:
            return np.zeros(0, dtype=np.int64)
        aliases = np.concatenate(chunks) & (MAX_ALIASES - 1)
        gain = np.repeat(gains, [len(c) for c in chunks])
        found, first, where = np.unique(aliases, return_index=True, return_inverse=True)
        score = np.bincount(where, weights=gain)  # summed in reading order, as a loop would
        # best first; ties in first-seen order
        return found[np.lexsort((first, -score))[:MAX_CANDIDATES]]

    def __len__(self) -> int:
        return len(self._codes)
