"""The MRZ reader and checker: ICAO 9303 specimens, generated documents, corruptions."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mrz_factory import BUILDERS, TODAY, make_docs, reseal

from borderpost.traveller.mrz import (
    MrzError,
    build_td1,
    build_td2,
    build_td3,
    check_digit,
    parse_mrz,
)
from borderpost.traveller.mrz_layout import LAYOUTS

# ICAO Doc 9303 specimens (state UTO, "Utopia").
TD3_SPECIMEN = (  # Part 4, Appendix A
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
TD1_SPECIMEN = (  # Part 5, Appendix A
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
TD2_SPECIMEN = (  # Part 6, Appendix A
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
)
MRVA_SPECIMEN = (  # Part 7
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<"
)
MRVB_SPECIMEN = (  # Part 7
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<"
)
TD1_LONG_NUMBER = (  # Part 11, Appendix D.2: a 12-character document number
    "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<"
)


def fields_of(result) -> list[str]:
    return [error.field for error in result.errors]


def parse(text: str):
    return parse_mrz(text, today=TODAY)


# -- check digits --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "digit"),
    [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("D23145890734", "9"),
        ("<<<<<<", "0"),
    ],
)
def test_check_digit_of_specimen_fields(data, digit):
    assert check_digit(data) == digit


def test_check_digit_refuses_characters_outside_the_mrz_alphabet():
    with pytest.raises(ValueError):
        check_digit("l898902c3")


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<", max_size=40), st.integers(0, 9))
def test_trailing_fillers_do_not_change_the_check_digit(data, fillers):
    assert check_digit(data + "<" * fillers) == check_digit(data)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20), st.data())
def test_any_single_wrong_digit_changes_the_check_digit(data, draw):
    i = draw.draw(st.integers(0, len(data) - 1))
    other = draw.draw(st.sampled_from([d for d in "0123456789" if d != data[i]]))
    assert check_digit(data[:i] + other + data[i + 1 :]) != check_digit(data)


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_parse_never_raises(text):
    result = parse(text)
    assert result.valid is (not result.errors)


# -- the ICAO specimens --------------------------------------------------------------------


def test_td3_specimen():
    result = parse(TD3_SPECIMEN)
    assert result.valid, result.errors
    assert result.format == "TD3"
    assert result.document_type == "P"
    assert result.issuing_state == result.nationality == "UTO"
    assert result.surname == "ERIKSSON"
    assert result.given_names == "ANNA MARIA"
    assert result.document_number == "L898902C3"
    assert result.birth_date == date(1974, 8, 12)
    assert result.sex == "F"
    assert result.expiry_date == date(2012, 4, 15)
    assert result.optional_data == "ZE184226B"
    assert result.expired is True  # and still valid


def test_td1_specimen():
    result = parse(TD1_SPECIMEN)
    assert result.valid, result.errors
    assert (result.format, result.document_type, result.document_number) == (
        "TD1",
        "I",
        "D23145890",
    )
    assert (result.surname, result.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (result.birth_date, result.expiry_date) == (date(1974, 8, 12), date(2012, 4, 15))
    assert result.optional_data is None


def test_td2_specimen():
    result = parse(TD2_SPECIMEN)
    assert result.valid, result.errors
    assert (result.format, result.document_number, result.nationality) == (
        "TD2",
        "D23145890",
        "UTO",
    )
    assert (result.surname, result.given_names, result.sex) == ("ERIKSSON", "ANNA MARIA", "F")


@pytest.mark.parametrize(("text", "fmt"), [(MRVA_SPECIMEN, "MRVA"), (MRVB_SPECIMEN, "MRVB")])
def test_visa_specimens(text, fmt):
    result = parse(text)
    assert result.valid, result.errors
    assert (result.format, result.document_type) == (fmt, "V")
    assert (result.document_number, result.nationality) == ("L8988901C", "XXX")
    assert result.birth_date == date(1940, 9, 7)
    assert result.expiry_date == date(2096, 12, 10)  # an expiry is always 20YY
    assert result.optional_data == ("6ZE184226B" if fmt == "MRVA" else None)


def test_td1_document_number_longer_than_nine_characters():
    result = parse(TD1_LONG_NUMBER)
    assert result.valid, result.errors
    assert result.document_number == "D23145890734"
    assert (result.surname, result.given_names, result.sex) == ("STEVENSON", "PETER JOHN", "M")
    wrong = TD1_LONG_NUMBER.replace("<7349<", "<7348<")
    assert "document_number_check" in fields_of(parse(wrong))


def test_a_filler_check_digit_needs_the_number_to_continue():
    result = parse(TD1_SPECIMEN.replace("D231458907", "D23145890<"))
    assert fields_of(result) == ["document_number_check", "composite_check"]
    assert result.document_number is None


def test_specimen_state_is_accepted_but_other_unknown_codes_are_named():
    text = reseal(TD3_SPECIMEN.replace("P<UTO", "P<ZZZ"))
    result = parse(text)
    assert fields_of(result) == ["issuing_state"]
    result = parse(reseal(TD3_SPECIMEN.replace("C36UTO", "C36QQQ")))
    assert fields_of(result) == ["nationality"]


# -- generated documents -------------------------------------------------------------------

FORMATS = sorted(BUILDERS)
DOCS = {fmt: make_docs(fmt, 300) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_generated_documents_parse_valid_with_their_fields(fmt):
    for doc in DOCS[fmt]:
        result = parse(doc.text)
        assert result.valid, (doc.text, result.errors)
        assert result.format == fmt
        got = {key: getattr(result, key) for key in doc.fields}
        assert got == doc.fields, doc.text
        assert result.expired is (doc.fields["expiry_date"] < TODAY)


def _replace(text: str, line: int, position: int, char: str) -> str:
    lines = text.split("\n")
    lines[line] = lines[line][:position] + char + lines[line][position + 1 :]
    return "\n".join(lines)


def _checks(fmt: str, text: str):
    """(field, spot) of every check digit of a document, as the layout places them."""
    layout = LAYOUTS[fmt]
    lines = text.split("\n")
    spots = {
        "document_number_check": layout.document_number_check,
        "birth_date_check": layout.birth_date_check,
        "expiry_date_check": layout.expiry_date_check,
    }
    if lines[layout.document_number_check[0]][layout.document_number_check[1]] == "<":
        # extended number: its check digit sits before the first filler of the optional data
        line, start, _ = layout.optional[0]
        spots["document_number_check"] = (line, lines[line].index("<", start) - 1)
    if layout.optional_check:
        spots["optional_data_check"] = layout.optional_check
    if layout.composite:
        spots["composite_check"] = layout.composite
    return spots


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_flipped_check_digit_is_named(fmt):
    for doc in DOCS[fmt][:100]:
        for field, (line, position) in _checks(fmt, doc.text).items():
            char = doc.text.split("\n")[line][position]
            if char == "<":
                continue  # an empty personal number: '<' is its check digit
            flipped = str((int(char) + 3) % 10)
            result = parse(_replace(doc.text, line, position, flipped))
            assert not result.valid
            assert field in fields_of(result), (doc.text, field, result.errors)


def _value(char: str) -> int:
    return 0 if char == "<" else int(char, 36)


@pytest.mark.parametrize("fmt", FORMATS)
def test_swapped_characters_are_caught_by_the_check_digit(fmt):
    layout = LAYOUTS[fmt]
    rng = random.Random(fmt)
    caught = 0
    for doc in DOCS[fmt][:100]:
        for field, span in (
            ("document_number_check", layout.document_number),
            ("birth_date_check", layout.birth_date),
            ("expiry_date_check", layout.expiry_date),
        ):
            line, start, end = span
            text_line = doc.text.split("\n")[line]
            i = rng.randrange(start, end - 1)
            a, b = text_line[i], text_line[i + 1]
            # 7-3-1 weights miss a transposition of values that differ by a multiple of 5
            if (_value(a) - _value(b)) % 5 == 0 or "<" in (a, b):
                continue
            swapped = _replace(_replace(doc.text, line, i, b), line, i + 1, a)
            result = parse(swapped)
            assert not result.valid
            assert field in fields_of(result), (doc.text, swapped, result.errors)
            caught += 1
    assert caught > 100


@pytest.mark.parametrize("fmt", FORMATS)
def test_letter_o_in_a_date_is_one_error_with_a_suggestion(fmt):
    layout = LAYOUTS[fmt]
    seen = 0
    for doc in DOCS[fmt]:
        for field, span in (("birth_date", layout.birth_date), ("expiry_date", layout.expiry_date)):
            line, start, end = span
            raw = doc.text.split("\n")[line][start:end]
            if "0" not in raw:
                continue
            i = raw.index("0")
            result = parse(_replace(doc.text, line, start + i, "O"))
            assert result.errors == (MrzError(field, result.errors[0].message, suggestion=raw),), (
                result.errors
            )
            assert "line" in result.errors[0].message
            assert getattr(result, field) is None  # never silently fixed
            seen += 1
    assert seen > 50


@pytest.mark.parametrize("fmt", FORMATS)
def test_digit_in_a_country_code_is_named_with_a_suggestion(fmt):
    layout = LAYOUTS[fmt]
    line, start, _ = layout.nationality
    for doc in DOCS[fmt][:50]:
        code = doc.text.split("\n")[line][start : start + 3]
        if code[0] not in "OISBZ":
            code = "SYR"  # put a code with a confusable letter there first
            doc_text = reseal(doc.text.replace(doc.text.split("\n")[line], _line_with(doc, code)))
        else:
            doc_text = doc.text
        misread = {"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"}[code[0]]
        result = parse(_replace(doc_text, line, start, misread))
        assert fields_of(result) == ["nationality"], result.errors
        assert result.errors[0].suggestion == code
        assert result.nationality is None


def _line_with(doc, code: str) -> str:
    layout = LAYOUTS[doc.format]
    line, start, end = layout.nationality
    text_line = doc.text.split("\n")[line]
    return text_line[:start] + code + text_line[end:]


@pytest.mark.parametrize("fmt", FORMATS)
def test_zero_read_as_o_in_a_document_number_fails_its_check(fmt):
    seen = 0
    for doc in DOCS[fmt]:
        number = doc.fields["document_number"]
        if "0" not in number[:9]:
            continue
        layout = LAYOUTS[fmt]
        line, start, _ = layout.document_number
        result = parse(_replace(doc.text, line, start + number.index("0"), "O"))
        assert not result.valid
        assert "document_number_check" in fields_of(result)
        seen += 1
        if len(number) <= 9 and result.errors[0].suggestion is not None:
            assert result.errors[0].suggestion == number
    assert seen > 20


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_and_padded_lines_name_the_line(fmt):
    rng = random.Random(fmt)
    for doc in DOCS[fmt][:50]:
        lines = doc.text.split("\n")
        n = rng.randrange(len(lines))
        for changed in (lines[n][:-1], lines[n] + "<"):
            result = parse("\n".join([*lines[:n], changed, *lines[n + 1 :]]))
            assert not result.valid
            assert f"line{n + 1}" in fields_of(result)
            assert result.surname is None


def test_letter_o_check_digit_is_suggested_as_zero():
    text = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<1O"
    )
    result = parse(text)
    assert result.errors == (MrzError("composite_check", result.errors[0].message, "0"),)


def test_unique_swap_in_document_number_is_suggested():
    text = TD3_SPECIMEN.replace("L898902C3", "L8989O2C3")
    result = parse(text)
    assert fields_of(result) == ["document_number_check"]
    assert result.errors[0].suggestion == "L898902C3"
    assert result.document_number == "L8989O2C3"  # shown as read, not fixed


# -- dates, sex, optional data -------------------------------------------------------------


def test_two_digit_birth_years_are_never_in_the_future():
    text = build_td3(
        issuing_state="IRQ",
        surname="A",
        given_names="B",
        document_number="X1",
        nationality="IRQ",
        birth_date=date(2020, 3, 1),
        sex="M",
        expiry_date=date(2030, 1, 1),
    )
    assert parse_mrz(text, today=date(2025, 1, 1)).birth_date == date(2020, 3, 1)
    assert parse_mrz(text, today=date(2020, 3, 1)).birth_date == date(2020, 3, 1)
    assert parse_mrz(text, today=date(2020, 2, 29)).birth_date == date(1920, 3, 1)


def test_impossible_dates_are_named():
    text = reseal(TD3_SPECIMEN.replace("7408122F120415", "9913402F121340"))
    result = parse(text)
    assert fields_of(result) == ["birth_date", "expiry_date"]
    assert "991340" in result.errors[0].message
    assert result.birth_date is None and result.expiry_date is None and result.expired is None


def test_unknown_birth_date_written_with_fillers_is_not_an_error():
    for unknown in ("<<<<<<", "7408<<", "74<<<<"):
        result = parse(reseal(TD3_SPECIMEN.replace("740812", unknown)))
        assert result.valid, (unknown, result.errors)
        assert result.birth_date is None
    result = parse(reseal(TD3_SPECIMEN.replace("740812", "7408<2")))
    assert fields_of(result) == ["birth_date"]


def test_expiry_written_with_fillers_is_an_error():
    result = parse(reseal(TD3_SPECIMEN.replace("120415", "<<<<<<")))
    assert "expiry_date" in fields_of(result)


def test_expired_is_relative_to_today():
    assert parse_mrz(TD3_SPECIMEN, today=date(2012, 4, 15)).expired is False
    assert parse_mrz(TD3_SPECIMEN, today=date(2012, 4, 16)).expired is True


@pytest.mark.parametrize(("char", "sex"), [("M", "M"), ("F", "F"), ("X", "X"), ("<", "X")])
def test_sex(char, sex):
    result = parse(reseal(TD3_SPECIMEN.replace("2F12", f"2{char}12")))
    assert result.valid and result.sex == sex


def test_bad_sex_is_named():
    result = parse(reseal(TD3_SPECIMEN.replace("2F12", "2K12")))
    assert fields_of(result) == ["sex"]


def test_personal_number_check_digit_may_be_filler_only_when_empty():
    empty = reseal(TD3_SPECIMEN.replace("ZE184226B<<<<<", "<" * 14))
    assert empty.split("\n")[1][42] == "0"
    for check in "0<":
        text = _replace(empty, 1, 42, check)
        result = parse(text)
        assert result.valid, (check, result.errors)
        assert result.optional_data is None
    filled = _replace(TD3_SPECIMEN, 1, 42, "<")
    assert "optional_data_check" in fields_of(parse(filled))


# -- input handling ------------------------------------------------------------------------


def test_crlf_whitespace_and_blank_lines_are_accepted():
    text = "\r\n\r\n   " + TD3_SPECIMEN.replace("\n", "  \r\n\r\n\t") + "\r\n\n"
    assert parse(text).valid


def test_lower_case_is_an_error_with_the_upper_case_line_suggested():
    lines = TD3_SPECIMEN.split("\n")
    result = parse(lines[0].lower() + "\n" + lines[1])
    assert fields_of(result) == ["line1"]
    assert result.errors[0].suggestion == lines[0]
    assert result.surname == "ERIKSSON"  # read from the upper-cased line, but not valid


def test_illegal_character_names_line_and_position():
    text = TD3_SPECIMEN.replace("ERIKSSON<<", "ERIKSSON<-")
    result = parse(text)
    assert fields_of(result)[0] == "line1"
    assert "position 15" in result.errors[0].message
    space = parse(TD3_SPECIMEN.replace("ANNA<", "ANNA "))
    assert space.errors[0].suggestion == "<"


@pytest.mark.parametrize("count", [0, 1, 4])
def test_wrong_number_of_lines(count):
    lines = (TD1_SPECIMEN.split("\n") * 2)[:count]
    result = parse("\n".join(lines))
    assert fields_of(result) == ["mrz"]
    assert result.format is None


def test_one_long_line_gets_a_split_suggested():
    result = parse(TD3_SPECIMEN.replace("\n", ""))
    assert fields_of(result) == ["mrz"]
    assert result.errors[0].suggestion == TD3_SPECIMEN


def test_lines_of_no_known_length_name_each_line():
    result = parse("P<UTO\nL898902C36")
    assert fields_of(result) == ["line1", "line2"]


def test_three_lines_of_passport_length():
    lines = TD3_SPECIMEN.split("\n")
    result = parse("\n".join([*lines, lines[1]]))
    assert fields_of(result) == ["line1", "line2", "line3"]


def test_digit_in_a_name_is_named():
    result = parse(reseal(TD3_SPECIMEN.replace("ANNA<MARIA", "ANNA<MAR1A")))
    assert fields_of(result) == ["given_names"]
    assert result.errors[0].suggestion.startswith("<<ANNA<MARIA<")
    result = parse(reseal(TD3_SPECIMEN.replace("ERIKSSON", "ERIK5SON")))
    assert fields_of(result) == ["surname"]


# -- builders ------------------------------------------------------------------------------


def test_builder_names_follow_icao_conventions():
    text = build_td3(
        issuing_state="D",
        surname="O'Brien-Müller",
        given_names="Anne  Marie José",
        document_number="C01X00T47",
        nationality="D",
        birth_date=date(1964, 8, 12),
        sex="F",
        expiry_date=date(2027, 10, 31),
    )
    assert text.startswith("P<D<<OBRIEN<MUELLER<<ANNE<MARIE<JOSE<")
    result = parse(text)
    assert result.valid, result.errors
    assert (result.issuing_state, result.surname, result.given_names) == (
        "D",
        "OBRIEN MUELLER",
        "ANNE MARIE JOSE",
    )


def test_builder_truncates_long_names():
    text = build_td1(
        issuing_state="IRQ",
        surname="Al-Abdulrahman Al-Husseini",
        given_names="Mohammed Abdulkarim",
        document_number="A12345678",
        nationality="IRQ",
        birth_date=date(1990, 1, 1),
        sex="M",
        expiry_date=date(2030, 1, 1),
    )
    name_line = text.split("\n")[2]
    assert name_line == "AL<ABDULRAHMAN<AL<HUSSEINI<<MO"
    assert parse(text).valid


def test_builder_refuses_what_cannot_be_written():
    common = dict(
        issuing_state="IRQ",
        given_names="",
        document_number="A1",
        nationality="IRQ",
        birth_date=date(1990, 1, 1),
        sex="M",
        expiry_date=date(2030, 1, 1),
    )
    with pytest.raises(ValueError):
        build_td3(surname="محمد", **common)
    with pytest.raises(ValueError):
        build_td3(surname="A", **{**common, "document_number": "A123456789"})
    with pytest.raises(ValueError):
        build_td2(surname="A", document_type="V", **common)


def test_td2_long_document_number_continues_in_optional_data():
    text = build_td2(
        issuing_state="SYR",
        surname="Haddad",
        given_names="Rami",
        document_number="N0123456789",
        nationality="SYR",
        birth_date=None,
        sex="X",
        expiry_date=date(2031, 5, 5),
    )
    result = parse(text)
    assert result.valid, result.errors
    assert (result.document_number, result.birth_date, result.sex) == ("N0123456789", None, "X")


def test_to_json_shape():
    data = parse(TD3_SPECIMEN).to_json()
    assert list(data) == [
        "valid",
        "errors",
        "format",
        "document_type",
        "issuing_state",
        "document_number",
        "nationality",
        "birth_date",
        "sex",
        "expiry_date",
        "surname",
        "given_names",
        "optional_data",
        "expired",
    ]
    assert (data["birth_date"], data["expiry_date"]) == ("1974-08-12", "2012-04-15")
    errors = parse(TD3_SPECIMEN.replace("7408122", "74O8122")).to_json()["errors"]
    assert errors == [
        {"field": "birth_date", "message": errors[0]["message"], "suggestion": "740812"}
    ]
    errors = parse(TD3_SPECIMEN.replace("7408122", "7408123")).to_json()["errors"]
    assert errors and all(set(e) == {"field", "message"} for e in errors)


def _icao_positions(lines: list[str], ranges: list[tuple[int, int, int]]) -> str:
    """Characters at 1-based, inclusive (line, first, last) positions, as Doc 9303 gives them."""
    return "".join(lines[line - 1][first - 1 : last] for line, first, last in ranges)


def _put(lines: list[str], line: int, first: int, text: str) -> None:
    row = lines[line - 1]
    lines[line - 1] = row[: first - 1] + text + row[first - 1 + len(text) :]


@pytest.mark.parametrize(
    ("text", "optional_at", "composite_at", "composite_ranges"),
    [
        # Part 5: upper line 6-30, middle line 1-7, 9-15, 19-29; digit at middle line 30
        (TD1_SPECIMEN, (2, 19, 29), (2, 30), [(1, 6, 30), (2, 1, 7), (2, 9, 15), (2, 19, 29)]),
        # Part 6: lower line 1-10, 14-20, 22-35; digit at lower line 36
        (TD2_SPECIMEN, (2, 29, 35), (2, 36), [(2, 1, 10), (2, 14, 20), (2, 22, 35)]),
        # Part 4: lower line 1-10, 14-20, 22-43; digit at lower line 44
        (TD3_SPECIMEN, (2, 29, 42), (2, 44), [(2, 1, 10), (2, 14, 20), (2, 22, 43)]),
    ],
)
def test_composite_covers_the_icao_positions(text, optional_at, composite_at, composite_ranges):
    """Written from the spec's positions, not from the layouts the builders share."""
    lines = text.split("\n")
    line, first, last = optional_at
    filled = "QRSTUVWXYZ98765"[: last - first + 1]
    _put(lines, line, first, filled)
    if text is TD3_SPECIMEN:  # the personal number has its own check digit, at 43
        _put(lines, 2, 43, check_digit(filled))
    composite = check_digit(_icao_positions(lines, composite_ranges))
    _put(lines, *composite_at, composite)
    result = parse("\n".join(lines))
    assert result.valid, result.errors
    assert result.optional_data == filled
    _put(lines, *composite_at, str((int(composite) + 1) % 10))
    assert fields_of(parse("\n".join(lines))) == ["composite_check"]


def test_non_ascii_letters_and_digits_are_illegal_and_keep_positions():
    lines = TD3_SPECIMEN.split("\n")
    result = parse(lines[0].replace("ERIKSSON", "ERIKßSON") + "\n" + lines[1])
    assert fields_of(result) == ["line1"]
    assert "position 10" in result.errors[0].message
    arabic_digit = lines[1].replace("740812", "74٠812")  # ARABIC-INDIC DIGIT ZERO
    result = parse(lines[0] + "\n" + arabic_digit)
    assert not result.valid
    assert fields_of(result)[0] == "line2"
    assert result.birth_date is None


def test_letter_check_digit_that_would_not_match_gets_no_suggestion():
    result = parse(TD3_SPECIMEN.replace("C36UTO", "C3BUTO"))  # B reads as 8, the digit is 6
    assert fields_of(result)[0] == "document_number_check"
    assert result.errors[0].suggestion is None
    assert "computed 6" in result.errors[0].message
