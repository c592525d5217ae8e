"""Every label of the pages has its Arabic translation; formatting follows the language."""

from __future__ import annotations

import re
from datetime import UTC, datetime

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
