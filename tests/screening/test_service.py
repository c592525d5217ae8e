"""Watchlist imports into the database and screening through the cached index."""

from __future__ import annotations

import pytest

from borderpost.auth.service import SYSTEM
from borderpost.db import Database
from borderpost.errors import DomainError
from borderpost.screening import service

WATCHLIST_CSV = (
    "id,name,aliases,date_of_birth,nationality\n"
    "W-1,Abdulrahman Kadhim al-Jubouri,عبد الرحمن كاظم الجبوري;Abu Omar,1971-03-02,IRQ\n"
    "W-2,Khalid Salim al-Tikriti,,1980,IRQ\n"
).encode()


def import_csv(db: Database, name: str, data: bytes):
    with db.transaction() as s:
        watchlist = service.watchlist_by_name(s, name) or service.create_watchlist(
            s, name=name, source="test", actor=SYSTEM
        )
        return service.import_watchlist(
            s, watchlist=watchlist, data=data, fmt="csv", filename=None, actor=SYSTEM
        )


def screen(db: Database, name: str, **kw):
    with db.transaction() as s:
        return service.screen_person(s, name=name, **kw)


def test_import_then_screen_in_both_scripts_and_orders(fresh_database: Database):
    result = import_csv(fresh_database, "national", WATCHLIST_CSV)
    assert result.imported == 2 and result.rejected == []
    for query in [
        "ALJUBOURI ABDULRAHMAN KADHIM",
        "Abd al-Rahman Kazim Al Jaburi",
        "عبد الرحمن كاظم الجبوري",
    ]:
        outcome = screen(fresh_database, query)
        assert outcome.status == "possible_match", query
        assert outcome.matches[0].entry_id == "W-1"
        assert outcome.matches[0].list == "national"
    assert screen(fresh_database, "Hassan Ali al-Dulaimi").status == "clear"


def test_reimport_replaces_the_list_and_the_index_follows(fresh_database: Database):
    import_csv(fresh_database, "national", WATCHLIST_CSV)
    assert screen(fresh_database, "Khalid Salim al-Tikriti").status == "possible_match"
    replacement = b"id,name,aliases,date_of_birth,nationality\nW-9,Omar Farouk al-Ani,,,IRQ\n"
    import_csv(fresh_database, "national", replacement)
    assert screen(fresh_database, "Khalid Salim al-Tikriti").status == "clear"
    assert screen(fresh_database, "Omar Farouq al-Ani").matches[0].entry_id == "W-9"


def test_a_broken_file_leaves_the_previous_list_intact(fresh_database: Database):
    import_csv(fresh_database, "national", WATCHLIST_CSV)
    for broken in [b"id,fullname\nX,Someone\n", b"\xff\xfe\x00broken", b""]:
        with pytest.raises(DomainError) as exc:
            import_csv(fresh_database, "national", broken)
        assert exc.value.status == 422
        assert exc.value.errors[0].field == "file"
    assert screen(fresh_database, "Khalid Salim al-Tikriti").status == "possible_match"


def test_bad_rows_are_reported_with_their_line_and_the_rest_lands(fresh_database: Database):
    data = WATCHLIST_CSV + b"W-3,,,,IRQ\nW-4,Ali Hussein,,1975-13-40,IRQ\n"
    result = import_csv(fresh_database, "national", data)
    assert result.imported == 3, "the person with an unreadable date is kept"
    assert sorted(line for line, _ in result.rejected) == [4]
    assert [line for line, _ in result.warnings] == [5]


@pytest.mark.parametrize("name", ["", "   ", "12345", "x" * 10_000])
def test_absurd_names_are_422(fresh_database: Database, name: str):
    import_csv(fresh_database, "national", WATCHLIST_CSV)
    with pytest.raises(DomainError) as exc:
        screen(fresh_database, name)
    assert exc.value.status == 422 and exc.value.errors[0].field == "name"


def test_screen_people_batch_agrees_with_one_by_one(fresh_database: Database):
    import_csv(fresh_database, "national", WATCHLIST_CSV)
    names = ["Abdulrahman Kadhim Aljuboori", "Hassan Ali", "Khaled Saleem al-Tikriti"]
    with fresh_database.transaction() as s:
        batch = service.screen_people(s, [service.PersonQuery(n) for n in names])
    assert [o.status for o in batch] == [screen(fresh_database, n).status for n in names]
    assert [o.status for o in batch] == ["possible_match", "clear", "possible_match"]


def test_concurrent_first_screenings_build_the_index_once(fresh_database: Database, monkeypatch):
    import threading
    import time

    from borderpost.screening import index_cache
    from borderpost.screening.matcher import NameIndex

    import_csv(fresh_database, "national", WATCHLIST_CSV)
    builds: list[int] = []
    real_build = NameIndex.build.__func__

    def counting_build(cls, entries, progress=None):
        builds.append(1)
        time.sleep(0.3)  # a large list takes long to build: the other requests arrive meanwhile
        return real_build(cls, entries, progress)

    monkeypatch.setattr(NameIndex, "build", classmethod(counting_build))
    with fresh_database.transaction() as s:
        index_cache.cache_for(s).clear()
    barrier = threading.Barrier(4)

    def screen_one() -> None:
        barrier.wait()
        assert screen(fresh_database, "Khalid Salim al-Tikriti").status == "possible_match"

    threads = [threading.Thread(target=screen_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1
