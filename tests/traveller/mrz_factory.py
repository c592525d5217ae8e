"""Seeded generation of valid MRZ documents, and re-sealing of hand-edited ones."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta

from borderpost.traveller.mrz import build_mrva, build_mrvb, build_td1, build_td2, build_td3
from borderpost.traveller.mrz_chars import check_digit
from borderpost.traveller.mrz_layout import LAYOUTS

TODAY = date(2025, 6, 1)
COUNTRIES = ["IRQ", "SYR", "JOR", "TUR", "IRN", "SAU", "D", "FRA", "GBN", "XXA", "UNO", "RKS"]
BUILDERS = {
    "TD1": build_td1,
    "TD2": build_td2,
    "TD3": build_td3,
    "MRVA": build_mrva,
    "MRVB": build_mrvb,
}
NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39, "MRVA": 39, "MRVB": 31}
OPTIONAL_WIDTH = {"TD1": 15, "TD2": 7, "TD3": 14, "MRVA": 16, "MRVB": 8}
ALNUM = string.ascii_uppercase + string.digits


@dataclass
class Doc:
    format: str
    text: str
    fields: dict


def _word(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(low, high)))


def make_doc(rng: random.Random, fmt: str) -> Doc:
    width = NAME_WIDTH[fmt]
    surname = " ".join(_word(rng, 2, 8) for _ in range(rng.randint(1, 2)))
    room = width - len(surname) - 2
    given_parts: list[str] = []
    while room >= 3 and rng.random() < 0.7:
        part = _word(rng, 1, min(8, room - 1 if given_parts else room))
        given_parts.append(part)
        room -= len(part) + 1
    given = " ".join(given_parts)
    longest = 12 if fmt in ("TD1", "TD2") and rng.random() < 0.2 else 9
    number = "".join(rng.choice(ALNUM) for _ in range(rng.randint(5, longest)))
    if fmt == "TD2" and len(number) > 9:
        number = number[:11]  # 2 more characters + check digit + filler fill the 7 places
    birth = TODAY - timedelta(days=rng.randint(0, 99 * 365))
    expiry = date(2000, 1, 1) + timedelta(days=rng.randint(0, 99 * 365))
    fields = {
        "document_type": {"TD3": "P", "MRVA": "V", "MRVB": "V"}.get(fmt)
        or rng.choice(["I", "ID", "A", "C"]),
        "issuing_state": rng.choice(COUNTRIES),
        "surname": surname,
        "given_names": given,
        "document_number": number,
        "nationality": rng.choice(COUNTRIES),
        "birth_date": birth,
        "sex": rng.choice("MFX"),
        "expiry_date": expiry,
    }
    optional = ""
    if rng.random() < 0.5:
        used = len(number) - 9 + 2 if len(number) > 9 else 0
        size = rng.randint(1, OPTIONAL_WIDTH[fmt] - used - (1 if used else 0))
        optional = "".join(rng.choice(ALNUM) for _ in range(size))
    key = "personal_number" if fmt == "TD3" else "optional_data"
    text = BUILDERS[fmt](**fields, **{key: optional})
    fields["optional_data"] = optional or None
    return Doc(fmt, text, fields)


def make_docs(fmt: str, count: int, seed: int = 9303) -> list[Doc]:
    rng = random.Random(f"{seed}-{fmt}")
    return [make_doc(rng, fmt) for _ in range(count)]


def reseal(text: str) -> str:
    """Recompute every check digit of a hand-edited MRZ (no extended document numbers)."""
    lines = [list(line) for line in text.split("\n")]
    visa = lines[0][0] == "V"
    fmt = {3: "TD1"}.get(len(lines)) or {
        (36, False): "TD2",
        (36, True): "MRVB",
        (44, False): "TD3",
        (44, True): "MRVA",
    }[(len(lines[0]), visa)]
    layout = LAYOUTS[fmt]

    def put(spot, span):
        line, start, end = span
        lines[spot[0]][spot[1]] = check_digit("".join(lines[line][start:end]))

    put(layout.document_number_check, layout.document_number)
    put(layout.birth_date_check, layout.birth_date)
    put(layout.expiry_date_check, layout.expiry_date)
    if layout.optional_check:
        put(layout.optional_check, layout.optional[0])
    if layout.composite:
        data = "".join("".join(lines[n][s:e]) for n, s, e in layout.composite_spans)
        lines[layout.composite[0]][layout.composite[1]] = check_digit(data)
    return "\n".join("".join(line) for line in lines)
