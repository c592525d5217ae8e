"""Every label of the pages has its Arabic translation; formatting follows the language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from borderpost.web import catalogue, i18n

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_every_label_in_the_templates_and_pages_is_translated_into_arabic() -> None:
    assert catalogue.missing("ar") == []


def test_the_extraction_finds_the_labels_of_templates_and_code() -> None:
    ids = {m.id for m in catalogue.extract() if m.id}
    assert "Crossing status" in ids  # a template
    assert "Wrong username or password." in ids  # auth/pages.py
    assert "Awaiting signatures" in ids  # web/labels.py
    assert len(ids) > 100


def test_translations_keep_their_placeholders() -> None:
    for message in catalogue.load("ar"):
        if not message.id or not message.string:
            continue
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), (
            message.id
        )


def test_the_catalogue_is_compiled_in_memory_without_a_build_step() -> None:
    i18n.translations.cache_clear()
    assert i18n.translations("ar").gettext("Crossing status") == "حالة المنفذ"
    assert i18n.translations("en").gettext("Crossing status") == "Crossing status"


def test_dates_and_numbers_are_formatted_for_the_language_in_the_crossings_time() -> None:
    at = datetime(2025, 6, 14, 5, 0, tzinfo=UTC)
    assert i18n.Formatter("en", "Asia/Baghdad").datetime(at) == "14 Jun 2025, 08:00"
    arabic = i18n.Formatter("ar", "Asia/Baghdad").datetime(at)
    assert "حزيران" in arabic and "08:00" in arabic
    assert i18n.Formatter("en").number(12345) == "12,345"
    assert i18n.Formatter("ar").number(12345) != ""


def test_lists_countries_and_data_in_arabic_text() -> None:
    ar, en = i18n.Formatter("ar"), i18n.Formatter("en")
    assert ar.list(["أ", "ب"]) == "أ، ب" and en.list(["a", "b"]) == "a, b"
    assert ar.country("JOR") == "الأردن" and en.country("JOR") == "Jordan"
    assert ar.date("2030-01-01") == ar.date(datetime(2030, 1, 1)) != "2030-01-01"
    assert str(i18n.free_text("Clashes <near> the crossing")) == (
        '<bdi dir="auto" lang="en">Clashes &lt;near&gt; the crossing</bdi>'
    )
    assert str(i18n.free_text("اشتباكات")) == '<bdi dir="auto">اشتباكات</bdi>'
    assert i18n.isolate_in("ar", "DMS-1") == "\u2068DMS-1\u2069"
    assert i18n.isolate_in("en", "DMS-1") == "DMS-1"


def test_mrz_errors_are_sentences_in_both_languages() -> None:
    from borderpost.web.labels import mrz_problem

    en, ar = i18n.translations("en").gettext, i18n.translations("ar").gettext
    assert mrz_problem("mrz.document_number_check", en) == (
        "The check digit of the document number does not match."
    )
    assert "رقم الوثيقة" in mrz_problem("driver.mrz.document_number_check", ar)
    assert "السطر" in mrz_problem("mrz.line2", ar) or "2" in mrz_problem("mrz.line2", ar)
    for field in ("mrz", "composite_check", "birth_date", "line1", "something_new"):
        assert not any(
            c.isascii() and c.isalpha() for c in mrz_problem(field, ar).replace("A-Z", "")
        ), field


def test_every_hs_chapter_has_an_arabic_name_and_the_demo_headings_too() -> None:
    from borderpost.cargo import hs, hs_ar
    from borderpost.demo import cargo_goods

    chapters = {f"{n:02d}" for n in range(1, 98)} - {"77"}
    assert set(hs_ar.chapters()) == chapters
    assert all(hs.chapter_description(c) for c in chapters)  # the same chapters as HS 2022
    source = Path(cargo_goods.__file__).read_text(encoding="utf-8")
    headings = {m[:4] for m in re.findall(r"\b(\d{4})\.?\d{2}\b", source)}
    assert headings and headings <= set(hs_ar.names()), headings - set(hs_ar.names())
