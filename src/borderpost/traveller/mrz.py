"""Reading and checking machine-readable zones (ICAO Doc 9303, 8th edition).

Formats: TD1 (ID cards, 3 x 30), TD2 (2 x 36), TD3 (passports, 2 x 44) and the machine-readable
visas MRV-A (2 x 44) and MRV-B (2 x 36), told apart from TD3/TD2 by a document code starting
with `V` (visas have no composite check digit).

`parse_mrz` never raises on bad input. It reports every problem it finds as an `MrzError`
naming a field (`birth_date`, `document_number_check`, `composite_check`, ...), a line
(`line2`) or the whole zone (`mrz`). Choices worth knowing:

* Surrounding whitespace, CRLF and blank lines are accepted. A space inside a line is an
  illegal character (suggestion `<`).
* Lower case is an error (the MRZ is printed upper case, so lower case means the text was
  typed or mangled on the way); it carries the upper-cased line as its suggestion, because
  case folding loses nothing, and the fields are read from that upper-cased text.
* Scanner confusions (`O`/`0`, `I`/`1`, `B`/`8`, `S`/`5`, `Z`/`2`, also `D`/`Q` read for `0`)
  in a digits-only field (dates, check digits) or a letters-only one (document code, country
  codes, names) are errors with a suggested reading; they are never fixed in the result (the
  field is None). Check digits are then verified against the suggested reading, so one
  misread character gives one error. In a document number either reading is legal: a failed
  check digit suggests the one single-character swap that would satisfy it, when there is one.
* Two-digit years: a birth date is the latest one not after `today`; an expiry is 20YY. A
  birth date written with fillers (unknown, e.g. `<<<<<<` or `7408<<`) is None, not an error.
* Sex is `M`, `F` or `X`; `<` (unspecified) is reported as `X`.
* TD1 and TD2 document numbers longer than 9 characters continue in the optional data (check
  digit position holds `<`); `document_number` is the whole number.
* `optional_data` is the optional field with fillers turned to spaces; TD1 has two optional
  fields, joined by one space. None when empty.
* Issuing state and nationality must be ISO 3166-1 alpha-3 or an ICAO code
  (`countries.py`); `UTO` is accepted as the specimen state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from borderpost.traveller import countries
from borderpost.traveller.mrz_build import (
    build_mrva,
    build_mrvb,
    build_td1,
    build_td2,
    build_td3,
)
from borderpost.traveller.mrz_chars import FILLER, check_digit
from borderpost.traveller.mrz_layout import Layout, detect_layout
from borderpost.traveller.mrz_read import Reader

__all__ = [
    "MrzError",
    "MrzResult",
    "build_mrva",
    "build_mrvb",
    "build_td1",
    "build_td2",
    "build_td3",
    "check_digit",
    "parse_mrz",
]


@dataclass(frozen=True, slots=True)
class MrzError:
    field: str
    message: str
    suggestion: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {"field": self.field, "message": self.message}
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        return out


@dataclass(frozen=True, slots=True)
class MrzResult:
    valid: bool
    errors: tuple[MrzError, ...]
    format: str | None
    document_type: str | None = None
    issuing_state: str | None = None
    document_number: str | None = None
    nationality: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    expiry_date: date | None = None
    surname: str | None = None
    given_names: str | None = None
    optional_data: str | None = None
    expired: bool | None = None

    def to_json(self) -> dict[str, Any]:
        """The object `borderpost mrz check` prints (api-v1, Command line)."""
        return {
            "valid": self.valid,
            "errors": [error.to_json() for error in self.errors],
            "format": self.format,
            "document_type": self.document_type,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "surname": self.surname,
            "given_names": self.given_names,
            "optional_data": self.optional_data,
            "expired": self.expired,
        }


def parse_mrz(text: str, *, today: date | None = None) -> MrzResult:
    """Read and check an MRZ of 2 or 3 lines. Never raises on bad input.

    `valid` covers the structure and every check digit; an expired document is still valid
    (`expired` is True). `today` decides two-digit birth years and `expired`.
    """
    today = today or date.today()
    errors: list[MrzError] = []
    lines = _split_lines(text if isinstance(text, str) else "", errors)
    if lines is None:
        return MrzResult(valid=False, errors=tuple(errors), format=None)
    layout = detect_layout(lines, lambda *a: errors.append(MrzError(*a)))
    if layout is None or errors:
        return MrzResult(valid=False, errors=tuple(errors), format=layout and layout.format)
    lines = [_check_characters(n, line, errors) for n, line in enumerate(lines, start=1)]
    return _read(lines, layout, today, errors)


def _split_lines(text: str, errors: list[MrzError]) -> list[str] | None:
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) in (2, 3):
        return lines
    if not lines:
        errors.append(MrzError("mrz", "no MRZ lines in the input"))
        return None
    suggestion = None
    if len(lines) == 1:
        size = {90: 30, 72: 36, 88: 44}.get(len(lines[0]))
        if size:
            suggestion = "\n".join(lines[0][i : i + size] for i in range(0, len(lines[0]), size))
    errors.append(
        MrzError(
            "mrz",
            f"expected 2 lines (TD2, TD3, visas) or 3 lines (TD1), got {len(lines)}",
            suggestion,
        )
    )
    return None


def _check_characters(number: int, line: str, errors: list[MrzError]) -> str:
    """Report lower case and illegal characters; return the line upper-cased."""
    # ASCII only: str.upper() would turn 'ß' into two characters and shift every position.
    upper = "".join(char.upper() if "a" <= char <= "z" else char for char in line)
    lower_at = [i + 1 for i, char in enumerate(line) if char != upper[i]]
    if lower_at:
        errors.append(
            MrzError(
                f"line{number}",
                f"line {number}: lower case at position(s) {_positions(lower_at)};"
                " the MRZ is upper case",
                upper,
            )
        )
    for i, char in enumerate(upper):
        if char == FILLER or ("A" <= char <= "Z") or ("0" <= char <= "9"):
            continue
        errors.append(
            MrzError(
                f"line{number}",
                f"line {number} position {i + 1}: illegal character {char!r}"
                " (only A-Z, 0-9 and '<')",
                FILLER if char.isspace() or char in "«‹" else None,
            )
        )
    return upper


def _positions(positions: list[int]) -> str:
    shown = ", ".join(str(p) for p in positions[:8])
    return shown + (", ..." if len(positions) > 8 else "")


def _read(lines: list[str], layout: Layout, today: date, errors: list[MrzError]) -> MrzResult:
    reader = Reader(lines, layout, today, lambda *a: errors.append(MrzError(*a)))
    values = reader.read()
    for code_field in ("issuing_state", "nationality"):
        code = values[code_field]
        if code is not None and not (
            countries.is_known_country(code) or countries.is_specimen_country(code)
        ):
            errors.append(MrzError(code_field, f"{code_field}: unknown country code {code!r}"))
    expiry = values["expiry_date"]
    return MrzResult(
        valid=not errors,
        errors=tuple(errors),
        format=layout.format,
        expired=None if expiry is None else expiry < today,
        **values,
    )
