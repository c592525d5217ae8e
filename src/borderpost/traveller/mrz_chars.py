"""MRZ characters: the check digit of ICAO 9303 Part 3 and the scanner confusions.

Shared by the reader (`mrz.py`) and the builders (`mrz_build.py`).
"""

from __future__ import annotations

import string

FILLER = "<"
MRZ_ALPHABET = frozenset(string.ascii_uppercase + string.digits + FILLER)

# Part 3, 4.9: '<' is 0, digits are themselves, A..Z are 10..35; weights 7, 3, 1 repeating.
_VALUES = {FILLER: 0}
_VALUES.update({d: int(d) for d in string.digits})
_VALUES.update({c: 10 + i for i, c in enumerate(string.ascii_uppercase)})
_WEIGHTS = (7, 3, 1)

# OCR-B shapes a scanner mixes up. Used only to *suggest* a reading, never to fix one.
LETTER_TO_DIGIT = {"O": "0", "D": "0", "Q": "0", "I": "1", "Z": "2", "S": "5", "B": "8"}
DIGIT_TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B"}
# The pairs the suggestion search may swap inside alphanumeric fields (document numbers),
# where either reading is legal and only the check digit can tell them apart.
CONFUSABLE_PAIRS = {
    "O": "0",
    "0": "O",
    "I": "1",
    "1": "I",
    "B": "8",
    "8": "B",
    "S": "5",
    "5": "S",
    "Z": "2",
    "2": "Z",
}


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit of `data` (7-3-1 weights, '<' = 0, A = 10 .. Z = 35).

    Raises ValueError on a character outside A-Z, 0-9 and '<'.
    """
    total = 0
    for i, char in enumerate(data):
        try:
            value = _VALUES[char]
        except KeyError:
            raise ValueError(f"character {char!r} cannot appear in an MRZ") from None
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


def check_digit_or_none(data: str) -> str | None:
    """As `check_digit`, but None when `data` holds a character that has no value."""
    try:
        return check_digit(data)
    except ValueError:
        return None


def confusion_fixes(data: str, expected_check: str) -> list[str]:
    """Readings of `data` that differ by one confusable character and match `expected_check`."""
    found = []
    for i, char in enumerate(data):
        other = CONFUSABLE_PAIRS.get(char)
        if other is None:
            continue
        candidate = data[:i] + other + data[i + 1 :]
        if check_digit_or_none(candidate) == expected_check:
            found.append(candidate)
    return found
