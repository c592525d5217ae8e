"""Listed entities: imported from the UN list and FtM, and screened against a truck's parties."""

from __future__ import annotations

import pytest

from borderpost.auth.service import SYSTEM
from borderpost.db import Database
from borderpost.screening import service
from borderpost.screening.companies import company_key
from borderpost.screening.matcher import NameIndex, WatchEntry


@pytest.mark.parametrize(
    "name",
    [
        "Al-Noor General Trading Co. LLC",
        "AL NOOR GENERAL TRADING COMPANY L.L.C.",
        "Alnoor General Trading Est.",
        "El-Noor General Trading Ltd",
        "Al\u200b-Noor General Trading Co",
    ],
)
def test_legal_forms_article_and_invisible_marks_do_not_change_a_company_name(name: str):
    assert company_key(name) == "alnoor general trading"


def test_arabic_legal_forms_are_set_aside():
    assert company_key("شركة النور للتجارة العامة ذ.م.م") == company_key(
        "مؤسسة النور للتجارة العامة"
    )


ENTITY = WatchEntry(
    "E-1", "un", "AL-NOOR GENERAL TRADING COMPANY", ("Al Nur Trading Est.",), kind="entity"
)
PERSON = WatchEntry("P-1", "un", "Zubair Fadhil Nawfal al-Mayadini")


def test_entities_are_found_by_company_name_and_never_by_a_person_search():
    index = NameIndex.build([ENTITY, PERSON])
    (hit,) = index.search_companies("Al Noor General Trading Co. L.L.C.")
    assert hit.entry_id == "E-1" and hit.score >= 0.88 and hit.explanation
    assert index.search_companies("Al Nour Trading Establishment")[0].entry_id == "E-1"
    assert index.search_companies("Al-Rafidain Cement Factory") == []
    assert index.search_companies("Al-Noor Construction Co.") == []
    assert index.search("Al Noor General Trading", threshold=0.0) == []


UN = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST><INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ZUBAIR</FIRST_NAME><SECOND_NAME>FADHIL</SECOND_NAME>
<THIRD_NAME>NAWFAL</THIRD_NAME><FOURTH_NAME>AL-MAYADINI</FOURTH_NAME></INDIVIDUAL>
</INDIVIDUALS><ENTITIES>
<ENTITY><DATAID>2</DATAID><FIRST_NAME>AL-NOOR GENERAL TRADING COMPANY</FIRST_NAME></ENTITY>
</ENTITIES></CONSOLIDATED_LIST>
"""


def test_a_truck_party_is_screened_against_entities_and_people(fresh_database: Database):
    with fresh_database.transaction() as s:
        watchlist = service.create_watchlist(s, name="un", source="UN", actor=SYSTEM)
        result = service.import_watchlist(
            s, watchlist=watchlist, data=UN, fmt="un-xml", filename=None, actor=SYSTEM
        )
        assert result.imported == 2
        company, trader, traveller = service.screen_people(
            s,
            [
                service.PersonQuery("Alnoor General Trading Co. LLC", kind="company"),
                service.PersonQuery("Zubair Fadhil al-Mayadini", kind="company"),
                service.PersonQuery("Alnoor General Trading Co. LLC"),
            ],
        )
    assert [h.entry_id for h in company.matches] == ["2"]
    assert [h.entry_id for h in trader.matches] == ["1"], "a trader may be one listed person"
    assert traveller.status == "clear", "a person is not screened against companies"
