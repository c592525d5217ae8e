"""Country codes: ISO 3166-1 alpha-3 plus the ICAO Doc 9303 codes."""

from __future__ import annotations

import pytest

from borderpost.traveller.countries import country_name, is_known_country, is_specimen_country

KNOWN = ["IRQ", "SYR", "JOR", "TUR", "DEU", "D", "GBR", "GBD", "GBN", "GBO", "GBP", "GBS"]
KNOWN += ["UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "EUE", "RKS"]
KNOWN += ["XOM", "XPO", "XCC", "XES", "XMP", "XBA"]


@pytest.mark.parametrize("code", KNOWN)
def test_known_codes(code):
    assert is_known_country(code)
    assert country_name(code)


@pytest.mark.parametrize("code", ["UTO", "ZZZ", "irq", "", "IQ", "D<<", "XKX", " IRQ"])
def test_unknown_codes(code):
    assert not is_known_country(code)
    assert country_name(code) is None


def test_names():
    assert country_name("IRQ") == "Iraq"
    assert country_name("SYR") == "Syrian Arab Republic"
    assert country_name("D") == "Germany"
    assert country_name("XXA") == "Stateless person"


def test_utopia_is_only_the_specimen_state():
    assert is_specimen_country("UTO")
    assert not is_specimen_country("IRQ")
    assert not is_known_country("UTO")
