"""Field-by-field reading of an MRZ whose lines have the right count and length.

`Reader` reports problems through a callback `report(field, message, suggestion=None)` and keeps
a second copy of the lines with the suggested readings of scanner confusions applied; check
digits are verified on that copy, so one misread character is reported once. The values it
returns never come from a suggested reading: a field with a misread or invalid character, or
an impossible date, is None (a field whose check digit fails is still returned).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from borderpost.traveller.mrz_chars import (
    DIGIT_TO_LETTER,
    FILLER,
    LETTER_TO_DIGIT,
    MRZ_ALPHABET,
    check_digit_or_none,
    confusion_fixes,
)
from borderpost.traveller.mrz_layout import Layout, Report, Span, Spot


def _at(span_or_spot: Span | Spot, offset: int = 0) -> str:
    line, position = span_or_spot[0], span_or_spot[1] + offset
    return f"line {line + 1} position {position + 1}"


def _fits(char: str, *, digits: bool, fillers: bool) -> bool:
    if fillers and char == FILLER:
        return True
    return "0" <= char <= "9" if digits else "A" <= char <= "Z"


class Reader:
    def __init__(self, lines: list[str], layout: Layout, today: date, report: Report):
        self.lines = lines
        self.fixed = [list(line) for line in lines]
        self.layout = layout
        self.today = today
        self.report = report

    # -- plumbing -------------------------------------------------------------------------

    def raw(self, span: Span) -> str:
        line, start, end = span
        return self.lines[line][start:end]

    def corrected(self, span: Span) -> str:
        line, start, end = span
        return "".join(self.fixed[line][start:end])

    def scan(self, field: str, span: Span, *, digits: bool, fillers: bool) -> bool:
        """Check that `span` holds only digits (or only letters), and fillers if allowed.

        A confusable character is reported with the suggested reading of the whole field and
        that reading goes into the corrected copy. True when the field is clean.
        """
        raw = self.raw(span)
        kind = "digits" if digits else "letters"
        swap = LETTER_TO_DIGIT if digits else DIGIT_TO_LETTER
        suggestion = list(raw)
        confused: list[int] = []
        clean = True
        for i, char in enumerate(raw):
            if _fits(char, digits=digits, fillers=fillers):
                continue
            clean = False
            if char in swap:
                suggestion[i] = swap[char]
                confused.append(i)
            elif char in MRZ_ALPHABET:  # an illegal character was reported with its line
                self.report(field, f"{field}: {_at(span, i)}: {char!r} where only {kind} belong")
        if confused:
            where = ", ".join(f"{_at(span, i)} {raw[i]!r}" for i in confused)
            self.report(
                field,
                f"{field}: {where} where only {kind} belong; a scanner misreading?",
                "".join(suggestion),
            )
            line, start, _ = span
            for i in confused:
                self.fixed[line][start + i] = suggestion[i]
        return clean

    def check(
        self,
        field: str,
        data: str,
        spot: Spot,
        what: str,
        *,
        filler_ok: bool = False,
        fix_span: Span | None = None,
    ) -> bool:
        """Verify the check digit at `spot` over `data` (already corrected)."""
        line, position = spot
        char = self.lines[line][position]
        if char == FILLER and filler_ok:
            return True
        expected = check_digit_or_none(data)
        if not "0" <= char <= "9":
            if char in LETTER_TO_DIGIT:
                reading = LETTER_TO_DIGIT[char]
                self.fixed[line][position] = reading
                where = f"{field}: {_at(spot)}: {char!r} where a check digit belongs"
                if reading == expected:
                    self.report(field, f"{where}; a misread {reading!r}, which matches", reading)
                elif expected is None:  # the data holds an illegal character, reported already
                    self.report(field, f"{where}; a misread {reading!r}?", reading)
                else:
                    self.report(
                        field,
                        f"{where}; read as {reading!r} it still does not match the {what}"
                        f" (computed {expected})",
                    )
            elif char in MRZ_ALPHABET:
                self.report(field, f"{field}: {_at(spot)}: {char!r} is not a check digit")
            return False
        if expected is None or char == expected:
            return expected is not None
        suggestion = None
        message = f"{field}: check digit {char} does not match the {what} (computed {expected})"
        fixes = confusion_fixes(data, char) if fix_span else []
        if len(fixes) == 1 and fix_span is not None:
            suggestion = fixes[0].rstrip(FILLER)
            message += f"; reading the {what} as {suggestion} would match"
            f_line, f_start, f_end = fix_span
            self.fixed[f_line][f_start:f_end] = list(fixes[0][: f_end - f_start])
        self.report(field, message, suggestion)
        return False

    # -- fields ---------------------------------------------------------------------------

    def read(self) -> dict[str, Any]:
        lay = self.layout
        values: dict[str, Any] = {}
        values["document_type"] = self.document_code()
        values["issuing_state"] = self.country("issuing_state", lay.issuing_state)
        values["nationality"] = self.country("nationality", lay.nationality)
        values["surname"], values["given_names"] = self.name()
        birth_ok = self.scan("birth_date", lay.birth_date, digits=True, fillers=True)
        expiry_ok = self.scan("expiry_date", lay.expiry_date, digits=True, fillers=False)
        values["sex"] = self.sex()
        number, optional = self.document_number()
        self.check(
            "birth_date_check",
            self.corrected(lay.birth_date),
            lay.birth_date_check,
            "birth date",
        )
        self.check(
            "expiry_date_check",
            self.corrected(lay.expiry_date),
            lay.expiry_date_check,
            "expiry date",
        )
        if lay.optional_check is not None:
            personal = self.corrected(lay.optional[0])
            self.check(
                "optional_data_check",
                personal,
                lay.optional_check,
                "personal number",
                filler_ok=personal == FILLER * len(personal),
                fix_span=lay.optional[0],
            )
        if lay.composite is not None:
            data = "".join(self.corrected(span) for span in lay.composite_spans)
            self.check("composite_check", data, lay.composite, "rest of the zone")
        values["document_number"] = number
        values["optional_data"] = optional
        values["birth_date"] = self.birth_date() if birth_ok else None
        values["expiry_date"] = self.expiry_date() if expiry_ok else None
        return values

    def document_code(self) -> str | None:
        span = self.layout.document_code
        raw = self.raw(span)
        ok = self.scan("document_type", span, digits=False, fillers=True)
        if ok and raw[0] == FILLER:
            self.report("document_type", "document_type: the document code starts with '<'")
            return None
        return raw.rstrip(FILLER) if ok else None

    def country(self, field: str, span: Span) -> str | None:
        if not self.scan(field, span, digits=False, fillers=True):
            return None
        code = self.raw(span).rstrip(FILLER)
        if not code or FILLER in code:
            self.report(field, f"{field}: {self.raw(span)!r} is not a country code")
            return None
        return code

    def name(self) -> tuple[str | None, str | None]:
        line, start, end = self.layout.name
        raw = self.raw(self.layout.name)
        split = raw.find(FILLER * 2)
        cut = start + (split if split >= 0 else len(raw))
        ok = self.scan("surname", (line, start, cut), digits=False, fillers=True)
        ok = self.scan("given_names", (line, cut, end), digits=False, fillers=True) and ok
        if not ok:
            return None, None
        if raw[0] == FILLER:
            self.report("surname", "surname: the name field starts with '<' (no surname)")
            return None, None
        primary, _, secondary = raw.partition(FILLER * 2)
        surname = " ".join(part for part in primary.split(FILLER) if part)
        given = " ".join(part for part in secondary.split(FILLER) if part)
        return surname, given

    def sex(self) -> str | None:
        line, position = self.layout.sex
        char = self.lines[line][position]
        if char in "MF":
            return char
        if char in ("X", FILLER):
            return "X"
        if char in MRZ_ALPHABET:
            self.report("sex", f"sex: {_at(self.layout.sex)}: {char!r} is not M, F, X or '<'")
        return None

    def document_number(self) -> tuple[str | None, str | None]:
        """The document number (checked) and the optional data around it."""
        lay = self.layout
        principal = self.raw(lay.document_number)
        spans = list(lay.optional)
        line, position = lay.document_number_check
        number: str | None = principal
        if lay.extended_number and self.lines[line][position] == FILLER:
            first = spans[0]
            opt = self.raw(first)
            continuation = opt.split(FILLER, 1)[0]
            if len(continuation) < 2:
                self.report(
                    "document_number_check",
                    "document_number_check: '<' in place of the check digit announces a"
                    " document number longer than 9 characters, but the optional data does"
                    " not continue it",
                )
                number = None
            else:
                number = principal + continuation[:-1]
                check_at = (first[0], first[1] + len(continuation) - 1)
                self.check("document_number_check", number, check_at, "document number")
                spans[0] = (first[0], first[1] + len(continuation), first[2])
        else:
            self.check(
                "document_number_check",
                principal,
                lay.document_number_check,
                "document number",
                fix_span=lay.document_number,
            )
        if number is not None:
            number = " ".join(number.rstrip(FILLER).split(FILLER))
            if not number:
                self.report("document_number", "document_number: empty")
                number = None
        parts = [" ".join(self.raw(span).replace(FILLER, " ").split()) for span in spans]
        optional = " ".join(part for part in parts if part) or None
        return number, optional

    def birth_date(self) -> date | None:
        raw = self.raw(self.layout.birth_date)
        groups = [raw[i : i + 2] for i in (0, 2, 4)]
        if any(group == FILLER * 2 for group in groups):
            if all(FILLER not in group or group == FILLER * 2 for group in groups):
                return None  # unknown in whole or in part (Doc 9303 Part 3)
            self.report("birth_date", f"birth_date: {raw!r} is neither a date nor unknown")
            return None
        if FILLER in raw:
            self.report("birth_date", f"birth_date: {raw!r} is neither a date nor unknown")
            return None
        yy, mm, dd = (int(group) for group in groups)
        century = 2000 if (2000 + yy, mm, dd) <= self._today_tuple() else 1900
        return self._date("birth_date", raw, century + yy, mm, dd)

    def expiry_date(self) -> date | None:
        raw = self.raw(self.layout.expiry_date)
        yy, mm, dd = (int(raw[i : i + 2]) for i in (0, 2, 4))
        return self._date("expiry_date", raw, 2000 + yy, mm, dd)

    def _today_tuple(self) -> tuple[int, int, int]:
        return (self.today.year, self.today.month, self.today.day)

    def _date(self, field: str, raw: str, year: int, month: int, day: int) -> date | None:
        try:
            return date(year, month, day)
        except ValueError:
            self.report(field, f"{field}: {raw} is not a valid date (YYMMDD)")
            return None
