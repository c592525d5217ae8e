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
    assert [e.entry_id for e in result.entries] == ["W1", "W2", "W4", "W5", "W6"]
    w1 = result.entries[0]
    assert w1.list_name == "national"
    assert w1.aliases == ("عبد الرحمن كاظم الجبوري", "Abd al-Rahman al-Juburi")
    assert (w1.birth_date, w1.nationality) == ("1975-03-02", "IRQ")
    assert result.entries[1].birth_date == "1980"
    # an unreadable detail never drops the person: the field is left empty, a warning says so
    w4, w5 = result.entries[2], result.entries[3]
    assert (w4.birth_date, w4.nationality) == (None, "IRQ")
    assert (w5.birth_date, w5.nationality) == (None, None)
    assert [line for line, _ in result.warnings] == [5, 6]
    warnings = dict(result.warnings)
    assert "date" in warnings[5] and "nationality" in warnings[6]
    assert [line for line, _ in result.rejected] == [4, 7]
    messages = dict(result.rejected)
    assert "name" in messages[4] and "twice" in messages[7]


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


def test_ftm_person_and_company_kept_other_schemata_skipped():
    address = {"id": "NK-ad", "schema": "Address", "properties": {"full": ["Baghdad"]}}
    result = parse_ftm(ftm(PERSON, COMPANY, address, ""), "opensanctions")
    entry, company = result.entries
    assert (company.entry_id, company.kind, company.name) == ("NK-co", "entity", "Some Trading LLC")
    assert entry.entry_id == "NK-abc" and entry.kind == "person"
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
    assert [e.entry_id for e in result.entries] == ["NK-abc", "NK-3", "NK-4"]
    assert [line for line, _ in result.rejected] == [2]
    assert [line for line, _ in result.warnings] == [3, 4]


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
      <GENDER>Female</GENDER>
      <NATIONALITY><VALUE>Freedonia</VALUE></NATIONALITY>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>110400</DATAID>
      <FIRST_NAME>AL-NOOR GENERAL TRADING COMPANY L.L.C.</FIRST_NAME>
      <ENTITY_ALIAS>
        <QUALITY>Good</QUALITY><ALIAS_NAME>Al Nur Trading Est.</ALIAS_NAME>
      </ENTITY_ALIAS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


def test_un_xml_individuals():
    result = parse_un_xml(UN_XML.encode(), "un")
    first, second, third, entity = result.entries
    assert first.entry_id == "6908048"
    assert first.name == "IBRAHIM AWWAD IBRAHIM AL-BADRI"
    assert first.aliases == ("Abu Bakr al-Baghdadi", "إبراهيم عواد إبراهيم البدري")
    assert (first.birth_date, first.nationality) == ("1971-07-28", "IRQ")
    assert (second.birth_date, second.nationality) == ("1959", "IRN")
    # a nationality no one can read: the person is kept, the field empty, a warning names it
    assert (third.entry_id, third.nationality, third.sex) == ("6908050", None, "F")
    assert result.rejected == []
    ((line, message),) = result.warnings
    openings = [
        i + 1 for i, text in enumerate(UN_XML.splitlines()) if text.strip() == "<INDIVIDUAL>"
    ]
    assert line == openings[2]
    assert "Freedonia" in message
    assert (entity.entry_id, entity.kind) == ("110400", "entity")
    assert entity.aliases == ("Al Nur Trading Est.",)


def _un_individual(data_id: str, first: str, nationality: str) -> str:
    return (
        f"<INDIVIDUAL><DATAID>{data_id}</DATAID><FIRST_NAME>{first}</FIRST_NAME>"
        f"<NATIONALITY><VALUE>{nationality}</VALUE></NATIONALITY></INDIVIDUAL>"
    )


def test_un_xml_names_the_list_uses_are_read_and_no_person_is_dropped():
    long_name = " ".join(["MUHAMMAD"] * 30)  # 269 characters
    xml = (
        "<CONSOLIDATED_LIST><INDIVIDUALS>"
        + _un_individual("1", "JEAN BOSCO", "Democratic Republic of the Congo")
        + _un_individual("2", "AHMAD SAID", "State of Palestine")
        + _un_individual("3", long_name, "Iraq")
        + _un_individual("4", "ALI HASAN", "Republic of Nowhere")
        + "</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"
    )
    result = parse_un_xml(xml.encode(), "un")
    assert [(e.entry_id, e.nationality) for e in result.entries] == [
        ("1", "COD"),
        ("2", "PSE"),
        ("3", "IRQ"),
        ("4", None),
    ]
    assert result.entries[2].name == long_name and result.rejected == []
    messages = [m for _, m in result.warnings]
    assert len(messages) == 2
    assert "200" in messages[0] and "Nowhere" in messages[1]


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


@pytest.mark.parametrize(
    "dtd",
    [
        '<!DOCTYPE x [<!ENTITY lol "lol">]>',
        '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
        "<!DOCTYPE CONSOLIDATED_LIST>",
    ],
)
def test_un_xml_a_dtd_after_20_kb_is_refused(dtd: str):
    padding = "<!-- " + "x" * 20_480 + " -->\n"
    body = "<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>"
    evil = f'<?xml version="1.0"?>\n{padding}{dtd}\n{body}'
    assert evil.index("<!DOCTYPE") > 20_000
    with pytest.raises(FormatError) as err:
        parse_un_xml(evil.encode(), "un")
    assert err.value.line == 3 and "DTD" in err.value.message


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
    assert len(parse(GOOD_CSV.encode(), "x", "csv").entries) == 5
    assert len(parse(UN_XML.encode(), "x", "un-xml").entries) == 4
    with pytest.raises(ValueError):
        parse(b"", "x", "xlsx")
