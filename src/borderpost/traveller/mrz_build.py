"""Building valid MRZ text (for tests, the demo and benchmarks). Lines are joined by "\\n".

Names follow Doc 9303 Part 3: upper case, spaces and hyphens become `<`, apostrophes and other
punctuation are dropped, accented Latin letters lose their accents (Ä, Ö, Ü, Å, Æ, Ø, ß, Þ
take the ICAO spellings AE, OE, UE, AA, AE, OE, SS, TH), and the whole name is cut to fit the
field. A name with no Latin letter at all is refused: transliterate it first.
Sex `X` is written `<` (unspecified). A birth date of None is written `<<<<<<` (unknown).
TD1 and TD2 document numbers longer than 9 characters continue in the optional data.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from borderpost.traveller.mrz_chars import FILLER, MRZ_ALPHABET, check_digit
from borderpost.traveller.mrz_layout import MRVA, MRVB, TD1, TD2, TD3, Layout

_SPELLINGS = {
    "Ä": "AE",
    "Ö": "OE",
    "Ü": "UE",
    "Å": "AA",
    "Æ": "AE",
    "Ø": "OE",
    "Œ": "OE",
    "ß": "SS",
    "ẞ": "SS",
    "Þ": "TH",
    "Ð": "D",
    "Đ": "D",
    "Ł": "L",
    "Ħ": "H",
    "Ĳ": "IJ",
}


def mrz_name_part(text: str) -> str:
    """One name (surname or given names) in MRZ letters, components joined by `<`."""
    out = []
    for char in text.upper():
        char = _SPELLINGS.get(char, char)
        for plain in unicodedata.normalize("NFKD", char):
            if "A" <= plain <= "Z":
                out.append(plain)
            elif plain in " -\t<" or plain == "\u2010":
                out.append(FILLER)
            # apostrophes, commas, full stops, accents and anything else: dropped
    return FILLER.join(part for part in "".join(out).split(FILLER) if part)


def name_field(surname: str, given_names: str, width: int) -> str:
    primary = mrz_name_part(surname)
    if not primary:
        raise ValueError("surname has no Latin letters; transliterate it first")
    secondary = mrz_name_part(given_names)
    field = primary + (FILLER * 2 + secondary if secondary else "")
    return _pad(field[:width], width)


def _pad(text: str, width: int) -> str:
    return text + FILLER * (width - len(text))


def _code(value: str, what: str) -> str:
    code = value.strip().upper()
    if not (1 <= len(code) <= 3 and code.isalpha() and code.isascii()):
        raise ValueError(f"{what} must be 1 to 3 letters, got {value!r}")
    return _pad(code, 3)


def _free(value: str, width: int, what: str) -> str:
    text = value.strip().upper().replace(" ", FILLER)
    if len(text) > width or not set(text) <= MRZ_ALPHABET:
        raise ValueError(f"{what} must be at most {width} of A-Z, 0-9, '<': {value!r}")
    return _pad(text, width)


def _yymmdd(value: date | None) -> str:
    return FILLER * 6 if value is None else value.strftime("%y%m%d")


def _sex(value: str) -> str:
    sex = value.strip().upper() or FILLER
    if sex not in ("M", "F", "X", FILLER):
        raise ValueError(f"sex must be M, F or X, got {value!r}")
    return FILLER if sex == "X" else sex


def _number(value: str) -> str:
    number = value.strip().upper().replace(" ", "")
    if not number or not number.isalnum() or not number.isascii():
        raise ValueError(f"document number must be letters and digits, got {value!r}")
    return number


def _with_check(field: str) -> str:
    return field + check_digit(field)


def _document(
    layout: Layout,
    *,
    document_type: str,
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date,
    optional: tuple[str, ...],
) -> str:
    code = _free(document_type, 2, "document type")
    if code[0] == FILLER:
        raise ValueError("document type must start with a letter")
    if (code[0] == "V") != layout.format.startswith("MRV"):
        raise ValueError(f"document type {code!r} does not fit {layout.format} (V is for visas)")
    number = _number(document_number)
    optional = list(optional)
    if len(number) <= 9:
        number_field = _with_check(_pad(number, 9))
    elif layout.extended_number:
        number_field = number[:9] + FILLER
        optional[0] = number[9:] + check_digit(number) + FILLER + optional[0].strip()
    else:
        raise ValueError(f"a {layout.format} document number has at most 9 characters")
    widths = [end - start for _, start, end in layout.optional]
    pairs = zip(optional, widths, strict=True)
    opt = [_free(text, width, "optional data") for text, width in pairs]
    head = code + _code(issuing_state, "issuing state")
    name = name_field(surname, given_names, layout.width - 5 if layout.lines == 2 else 30)
    dates = (
        _with_check(_yymmdd(birth_date)),
        _sex(sex),
        _with_check(_yymmdd(expiry_date)),
    )
    nation = _code(nationality, "nationality")
    if layout.lines == 3:
        lines = [head + number_field + opt[0], "".join(dates) + nation + opt[1], name]
    else:
        lines = [head + name, number_field + nation + "".join(dates) + opt[0]]
        if layout.optional_check is not None:
            lines[1] += _personal_check(opt[0])
    if layout.composite is not None:
        lines[layout.composite[0]] += check_digit(
            "".join(lines[line][start:end] for line, start, end in layout.composite_spans)
        )
    lines = [_pad(line, layout.width) for line in lines]
    return "\n".join(lines)


def _personal_check(personal: str) -> str:
    return FILLER if personal == FILLER * len(personal) else check_digit(personal)


def build_td3(
    *,
    document_type: str = "P",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date,
    personal_number: str = "",
) -> str:
    """A passport (TD3, 2 x 44) MRZ."""
    return _document(
        TD3,
        document_type=document_type,
        issuing_state=issuing_state,
        surname=surname,
        given_names=given_names,
        document_number=document_number,
        nationality=nationality,
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        optional=(personal_number,),
    )


def build_td2(
    *,
    document_type: str = "I",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
) -> str:
    """A TD2 (2 x 36) MRZ."""
    return _document(
        TD2,
        document_type=document_type,
        issuing_state=issuing_state,
        surname=surname,
        given_names=given_names,
        document_number=document_number,
        nationality=nationality,
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        optional=(optional_data,),
    )


def build_td1(
    *,
    document_type: str = "I",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
    optional_data_2: str = "",
) -> str:
    """An ID card (TD1, 3 x 30) MRZ; `optional_data` is on line 1, `optional_data_2` on line 2."""
    return _document(
        TD1,
        document_type=document_type,
        issuing_state=issuing_state,
        surname=surname,
        given_names=given_names,
        document_number=document_number,
        nationality=nationality,
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        optional=(optional_data, optional_data_2),
    )


def build_mrva(
    *,
    document_type: str = "V",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
) -> str:
    """A machine-readable visa, format A (2 x 44, no composite check digit)."""
    return _visa(MRVA, **locals())


def build_mrvb(
    *,
    document_type: str = "V",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
) -> str:
    """A machine-readable visa, format B (2 x 36, no composite check digit)."""
    return _visa(MRVB, **locals())


def _visa(layout: Layout, *, optional_data: str, document_type: str, **fields) -> str:
    if not document_type.strip().upper().startswith("V"):
        raise ValueError("a visa's document type starts with V")
    return _document(layout, document_type=document_type, optional=(optional_data,), **fields)
