"""Country codes as they appear in travel documents.

ISO 3166-1 alpha-3 (from pycountry) plus the codes ICAO Doc 9303 Part 3 (section 5) adds for
documents that are not issued by, or held by nationals of, an ISO country. Codes are exact and
upper case: `is_known_country("irq")` is False. Germany is the one-letter ICAO code `D`
(written `D<<` in the MRZ); pass it without fillers.

`UTO` (Utopia) is the state of ICAO's specimen documents. It is *not* a known country: the MRZ
reader accepts it so the specimens parse, and everything else should refuse it.
"""

from __future__ import annotations

from functools import cache

import pycountry

# Doc 9303 Part 3, section 5 (as listed by the UK Home Office design system, which cites it).
ICAO_CODES: dict[str, str] = {
    "D": "Germany",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "RKS": "Republic of Kosovo",
    "EUE": "European Union",
    "UNO": "United Nations Organization or one of its officials",
    "UNA": "Specialized agency of the United Nations or one of its officials",
    "UNK": "Resident of Kosovo with a travel document issued by UNMIK",
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community or one of its emissaries",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa",
    "XEC": "Economic Community of West African States",
    "XPO": "International Criminal Police Organization (INTERPOL)",
    "XES": "Organisation of Eastern Caribbean States",
    "XMP": "Parliamentary Assembly of the Mediterranean",
    "XOM": "Sovereign Military Order of Malta or one of its emissaries",
    "XDC": "Southern African Development Community",
    "XXA": "Stateless person",
    "XXB": "Refugee (1951 Convention relating to the Status of Refugees)",
    "XXC": "Refugee, other than as defined under XXB",
    "XXX": "Person of unspecified nationality",
}

SPECIMEN_CODES: dict[str, str] = {"UTO": "Utopia (ICAO specimen state)"}


@cache
def _iso_names() -> dict[str, str]:
    return {country.alpha_3: country.name for country in pycountry.countries}


def is_known_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code or an ICAO Doc 9303 code; False for `UTO`."""
    return code in ICAO_CODES or code in _iso_names()


def country_name(code: str) -> str | None:
    """The English name of a known code, None for an unknown one (and for `UTO`)."""
    return ICAO_CODES.get(code) or _iso_names().get(code)


def is_specimen_country(code: str) -> bool:
    """True for `UTO`, the state of the ICAO 9303 specimen documents."""
    return code in SPECIMEN_CODES
