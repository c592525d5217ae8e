"""Watchlist import formats, good files and broken ones."""

import json

import pytest

from borderpost.screening.formats import (
    FormatError,
    guess_format,
    parse,
    parse_csv,
    parse_ftm,
    parse_un_xml,
)

# --- CSV ----------------------------------------------------------------------------------------

GOOD_CSV = """id,name,aliases,date_of_birth,nationality
W1,Abdulrahman Kadhim al-Jubouri,عبد الرحمن كاظم الجبوري;Abd al-Rahman al-Juburi,1975-03-02,IRQ
W2,Khalid Salih al-Tikriti,,1980,SYR
W3,,Nobody,,IRQ
W4,Yasir Jasim,,1975-13-40,IRQ
W5,Faris Talib,,,ATLANTIS
W1,Duplicate Id,,,
W6,Munir Talib,,,
"""


def test_csv_good_rows_kept_bad_rows_rejected_with_line():
    result = parse_csv(GOOD_CSV.encode(), "national")
    assert [e.entry_id for e in result.entries] == ["W1", "W2", "W6"]
    w1 = result.entries[0]
    assert w1.list_name == "national"
    assert w1.aliases == ("عبد الرحمن كاظم الجبوري", "Abd al-Rahman al-Juburi")
    assert (w1.birth_date, w1.nationality) == ("1975-03-02", "IRQ")
    assert result.entries[1].birth_date == "1980"
    assert [line for line, _ in result.rejected] == [4, 5, 6, 7]
    messages = dict(result.rejected)
    assert "name" in messages[4] and "date" in messages[5]
    assert "nationality" in messages[6] and "twice" in messages[7]


def test_csv_missing_columns_refused():
    with pytest.raises(FormatError) as err:
        parse_csv(b"identifier,full_name\n1,Ali\n", "x")
    assert err.value.line == 1 and "id" in err.value.message


def test_csv_not_utf8_refused_with_line():
    data = b"id,name\n1,Ali\n2," + "Hüseyin".encode("latin-1") + b"\n"
    with pytest.raises(FormatError) as err:
        parse_csv(data, "x")
    assert err.value.line == 3


def test_csv_bom_and_alpha2_nationality_accepted():
    result = parse_csv("\ufeffid,name,nationality\n1,Ali Hasan,iq\n".encode(), "x")
    assert result.entries[0].nationality == "IRQ"


# --- FollowTheMoney -----------------------------------------------------------------------------


def ftm(*objs: dict | str) -> bytes:
    return "\n".join(
        o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs
    ).encode()


PERSON = {
    "id": "NK-abc",
    "schema": "Person",
    "properties": {
        "name": ["Abu Bakr al-Baghdadi"],
        "alias": ["Ibrahim Awad Ibrahim al-Badri"],
        "birthDate": ["1971-07-28"],
        "nationality": ["iq"],
    },
}
COMPANY = {"id": "NK-co", "schema": "Company", "properties": {"name": ["Some Trading LLC"]}}


def test_ftm_person_kept_other_schemata_skipped():
    result = parse_ftm(ftm(PERSON, COMPANY, ""), "opensanctions")
    (entry,) = result.entries
    assert entry.entry_id == "NK-abc"
    assert entry.aliases == ("Ibrahim Awad Ibrahim al-Badri",)
    assert (entry.birth_date, entry.nationality) == ("1971-07-28", "IRQ")
    assert result.rejected == []


def test_ftm_bad_person_rejected_rest_kept():
    nameless = {"id": "NK-2", "schema": "Person", "properties": {"birthDate": ["1970"]}}
    bad_date = {
        "id": "NK-3",
        "schema": "Person",
        "properties": {"name": ["Ali"], "birthDate": ["circa 1970"]},
    }
    bad_country = {
        "id": "NK-4",
        "schema": "Person",
        "properties": {"name": ["Ali"], "nationality": ["zz"]},
    }
    result = parse_ftm(ftm(PERSON, nameless, bad_date, bad_country), "x")
    assert [e.entry_id for e in result.entries] == ["NK-abc"]
    assert [line for line, _ in result.rejected] == [2, 3, 4]


def test_ftm_year_month_date_keeps_year_and_first_known_nationality():
    person = {
        "id": "p",
        "schema": "Person",
        "properties": {"name": ["Ali"], "birthDate": ["1970-05"], "nationality": ["suhh", "sy"]},
    }
    (entry,) = parse_ftm(ftm(person), "x").entries
    assert (entry.birth_date, entry.nationality) == ("1970", "SYR")


def test_ftm_not_json_refused_with_line():
    with pytest.raises(FormatError) as err:
        parse_ftm(ftm(PERSON, "{not json"), "x")
    assert err.value.line == 2


def test_ftm_json_but_not_ftm_refused():
    with pytest.raises(FormatError) as err:
        parse_ftm(ftm({"name": "Ali"}), "x")
    assert err.value.line == 1


# --- UN consolidated list -----------------------------------------------------------------------

UN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2024-12-01T00:00:00Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>6908048</DATAID>
      <REFERENCE_NUMBER>QDi.299</REFERENCE_NUMBER>
      <FIRST_NAME>IBRAHIM</FIRST_NAME>
      <SECOND_NAME>AWWAD</SECOND_NAME>
      <THIRD_NAME>IBRAHIM</THIRD_NAME>
      <FOURTH_NAME>AL-BADRI</FOURTH_NAME>
      <NAME_ORIGINAL_SCRIPT>إبراهيم عواد إبراهيم البدري</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Iraq</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS>
        <QUALITY>Good</QUALITY><ALIAS_NAME>Abu Bakr al-Baghdadi</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME></ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1971-07-28</DATE></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>6908049</DATAID>
      <FIRST_NAME>HAJJI</FIRST_NAME>
      <SECOND_NAME>IMAN</SECOND_NAME>
      <NATIONALITY><VALUE>Iran (Islamic Republic of)</VALUE></NATIONALITY>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1959</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>6908050</DATAID>
      <FIRST_NAME>SOMEONE</FIRST_NAME>
      <NATIONALITY><VALUE>Freedonia</VALUE></NATIONALITY>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>
"""


def test_un_xml_individuals():
    result = parse_un_xml(UN_XML.encode(), "un")
    first, second = result.entries
    assert first.entry_id == "6908048"
    assert first.name == "IBRAHIM AWWAD IBRAHIM AL-BADRI"
    assert first.aliases == ("Abu Bakr al-Baghdadi", "إبراهيم عواد إبراهيم البدري")
    assert (first.birth_date, first.nationality) == ("1971-07-28", "IRQ")
    assert (second.birth_date, second.nationality) == ("1959", "IRN")
    ((line, message),) = result.rejected
    openings = [
        i + 1 for i, text in enumerate(UN_XML.splitlines()) if text.strip() == "<INDIVIDUAL>"
    ]
    assert line == openings[2]
    assert "Freedonia" in message


def test_un_xml_broken_refused_with_line():
    with pytest.raises(FormatError) as err:
        parse_un_xml(UN_XML.replace("</DATAID>", "", 1).encode(), "un")
    assert err.value.line is not None and err.value.line > 1


def test_un_xml_other_document_refused():
    with pytest.raises(FormatError):
        parse_un_xml(b"<sdnList><sdnEntry/></sdnList>", "un")


def test_un_xml_entities_refused():
    evil = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>"""
    with pytest.raises(FormatError) as err:
        parse_un_xml(evil, "un")
    assert err.value.line == 2


# --- dispatch -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "fmt"),
    [
        ("list.csv", "csv"),
        ("targets.ftm.json", "ftm"),
        ("entities.jsonl", "ftm"),
        ("consolidated.xml", "un-xml"),
    ],
)
def test_guess_format(filename, fmt):
    assert guess_format(filename) == fmt


def test_guess_format_unknown():
    with pytest.raises(ValueError):
        guess_format("list.pdf")


def test_parse_dispatches_and_refuses_unknown_format():
    assert len(parse(GOOD_CSV.encode(), "x", "csv").entries) == 3
    assert len(parse(UN_XML.encode(), "x", "un-xml").entries) == 2
    with pytest.raises(ValueError):
        parse(b"", "x", "xlsx")
