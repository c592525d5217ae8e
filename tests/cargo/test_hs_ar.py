"""HS look-up in Arabic words."""

from __future__ import annotations

from borderpost.auth.permissions import Role
from borderpost.cargo.hs import lookup_subheading
from borderpost.cargo.hs_ar import fold, name_ar, names, search_hs_ar
from tests.conftest import Api


def codes(query: str) -> list[str]:
    return [s.code for s in search_hs_ar(query, limit=50)]


def test_spellings_hamza_taa_marbuta_diacritics_and_the_article_are_folded():
    assert fold("إسْمَنْت") == fold("اسمنت") == "اسمنت"
    assert "252329" in codes("اسمنت") and codes("اسمنت") == codes("الإسمنت")
    assert codes("بندوره") == codes("طماطم") == ["070200", "200210", "200290"]


def test_local_words_and_every_query_word_must_match():
    assert all(c.startswith("7214") for c in codes("شيش"))
    assert all(c.startswith("7214") for c in codes("حديد تسليح"))
    assert codes("حديد سكر") == []
    assert codes("") == [] and codes("xyz") == []


def test_the_table_names_real_headings_only():
    for heading in names():
        assert search_hs_ar(names()[heading][0]), heading
        assert lookup_subheading(codes(names()[heading][0])[0]).code.startswith(heading)
    assert name_ar("252329") == "إسمنت" and name_ar("999999") is None


def test_the_hs_look_up_answers_arabic_words(api: Api):
    found = api.get("/hs-codes", Role.CUSTOMS, params={"q": "سماد اليوريا"}).json()
    assert found[0]["hs_code"] == "310210" and all(f["chapter"] == "31" for f in found)
    assert found[0]["name_ar"] == "يوريا"
