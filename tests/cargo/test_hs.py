import pytest

from borderpost.cargo.currency import is_currency
from borderpost.cargo.hs import HsCodeError, lookup_subheading, normalise_hs_code, search_hs


@pytest.mark.parametrize(
    ("code", "chapter", "word"),
    [
        ("252329", "25", "portland"),
        ("100199", "10", "wheat"),
        ("270900", "27", "crude"),
        ("870323", "87", "1500"),
        ("930190", "93", "military weapons"),
        ("360200", "36", "explosives"),
        ("852411", "85", "flat panel"),  # new in HS 2022
    ],
)
def test_real_subheadings(code, chapter, word):
    found = lookup_subheading(code)
    assert found.code == code
    assert found.chapter == chapter
    assert word in found.description.lower()
    assert found.chapter_description


@pytest.mark.parametrize("form", ["8703.23", "870323", " 8703.23 ", "8703 23", "87.03.23"])
def test_accepted_forms_normalise_to_six_digits(form):
    assert normalise_hs_code(form) == "870323"
    assert lookup_subheading(form).code == "870323"
    assert lookup_subheading(form).dotted == "8703.23"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("770000", "reserved"),
        ("771100", "reserved"),
        ("980000", "national use"),
        ("999999", "national use"),
        ("000000", "01 to 97"),
        ("12345", "6-digit"),
        ("1234567", "6-digit"),
        ("8703.23.10", "6-digit"),
        ("abc", "6-digit"),
        ("", "6-digit"),
        ("870399", "no such subheading"),
        ("100100", "no such subheading"),  # a heading with zeros, not a subheading
        ("970110", "no such subheading"),  # HS 2017, split in HS 2022
    ],
)
def test_bad_codes(code, words):
    with pytest.raises(HsCodeError) as err:
        lookup_subheading(code)
    assert words in str(err.value)
    assert isinstance(err.value, ValueError)


def test_search_by_prefix_and_by_words():
    by_prefix = search_hs("8703.2")
    assert [s.code for s in by_prefix] == ["870321", "870322", "870323", "870324"]
    assert [s.code for s in search_hs("portland cement")] == ["252321", "252329"]
    assert "100199" in [s.code for s in search_hs("wheat")]
    assert len(search_hs("vehicles", limit=3)) == 3
    assert search_hs("") == []
    assert search_hs("zzzz-no-such-goods") == []
    assert all(s.code.startswith("93") for s in search_hs("93"))


def test_currency():
    assert is_currency("IQD")
    assert is_currency("SYP")
    assert is_currency("USD")
    assert not is_currency("usd")
    assert not is_currency("XXX")
    assert not is_currency("ABC")
    assert not is_currency("US")
