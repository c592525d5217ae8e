"""Where each field sits in each MRZ format (ICAO Doc 9303 Parts 4 to 7).

Positions are (line index, start, end) slices, 0-based, end exclusive; single characters are
(line index, position).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Span = tuple[int, int, int]
Spot = tuple[int, int]
Report = Callable[..., None]


@dataclass(frozen=True, slots=True)
class Layout:
    format: str
    lines: int
    width: int
    name: Span
    document_number: Span
    document_number_check: Spot
    nationality: Span
    birth_date: Span
    birth_date_check: Spot
    sex: Spot
    expiry_date: Span
    expiry_date_check: Spot
    optional: tuple[Span, ...]
    optional_check: Spot | None  # TD3 personal number check digit
    composite: Spot | None
    composite_spans: tuple[Span, ...]
    # TD1/TD2: a document number longer than 9 continues in the first optional field.
    extended_number: bool
    document_code: Span = (0, 0, 2)
    issuing_state: Span = (0, 2, 5)


def _two_line(
    format: str,
    width: int,
    *,
    optional: Span,
    optional_check: Spot | None,
    composite: Spot | None,
    composite_spans: tuple[Span, ...],
    extended_number: bool,
) -> Layout:
    """TD2, TD3 and both visas share line 2's layout up to the optional data (Doc 9303 4–7)."""
    return Layout(
        format=format,
        lines=2,
        width=width,
        name=(0, 5, width),
        document_number=(1, 0, 9),
        document_number_check=(1, 9),
        nationality=(1, 10, 13),
        birth_date=(1, 13, 19),
        birth_date_check=(1, 19),
        sex=(1, 20),
        expiry_date=(1, 21, 27),
        expiry_date_check=(1, 27),
        optional=(optional,),
        optional_check=optional_check,
        composite=composite,
        composite_spans=composite_spans,
        extended_number=extended_number,
    )


TD3 = _two_line(
    "TD3", 44, optional=(1, 28, 42), optional_check=(1, 42), composite=(1, 43),
    composite_spans=((1, 0, 10), (1, 13, 20), (1, 21, 43)), extended_number=False,
)  # fmt: skip
MRVA = _two_line(
    "MRVA", 44, optional=(1, 28, 44), optional_check=None, composite=None,
    composite_spans=(), extended_number=False,
)  # fmt: skip
TD2 = _two_line(
    "TD2", 36, optional=(1, 28, 35), optional_check=None, composite=(1, 35),
    composite_spans=((1, 0, 10), (1, 13, 20), (1, 21, 35)), extended_number=True,
)  # fmt: skip
MRVB = _two_line(
    "MRVB", 36, optional=(1, 28, 36), optional_check=None, composite=None,
    composite_spans=(), extended_number=False,
)  # fmt: skip

TD1 = Layout(
    format="TD1",
    lines=3,
    width=30,
    name=(2, 0, 30),
    document_number=(0, 5, 14),
    document_number_check=(0, 14),
    nationality=(1, 15, 18),
    birth_date=(1, 0, 6),
    birth_date_check=(1, 6),
    sex=(1, 7),
    expiry_date=(1, 8, 14),
    expiry_date_check=(1, 14),
    optional=((0, 15, 30), (1, 18, 29)),
    optional_check=None,
    composite=(1, 29),
    composite_spans=((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
    extended_number=True,
)

LAYOUTS = {layout.format: layout for layout in (TD1, TD2, TD3, MRVA, MRVB)}


def detect_layout(lines: list[str], report: Report) -> Layout | None:
    """The layout the line count, line lengths and document code point to.

    Reports wrong line lengths (the layout is still returned when it can be told) and a visa
    code on a TD1-size zone.
    """
    if len(lines) == 3:
        layout = TD1
    else:
        width = next((len(line) for line in lines if len(line) in (36, 44)), None)
        if width is None:
            for number, line in enumerate(lines, start=1):
                report(
                    f"line{number}",
                    f"line {number}: expected 36 (TD2, MRV-B) or 44 (TD3, MRV-A) characters,"
                    f" got {len(line)}",
                )
            return None
        visa = lines[0].upper().startswith("V")
        layout = {(36, False): TD2, (36, True): MRVB, (44, False): TD3, (44, True): MRVA}[
            (width, visa)
        ]
    for number, line in enumerate(lines, start=1):
        if len(line) != layout.width:
            report(
                f"line{number}",
                f"line {number}: expected {layout.width} characters for {layout.format},"
                f" got {len(line)}",
            )
    if layout is TD1 and lines[0].upper().startswith("V"):
        report("document_type", "document_type: a visa (V) has no TD1 (3-line) format")
    return layout
