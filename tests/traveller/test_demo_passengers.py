"""The passengers' part of scenario.md as `borderpost demo` loads it (SQLite, as the demo)."""

from __future__ import annotations

from datetime import date

import pytest

from borderpost.audit import service as audit
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.report import statistics
from borderpost.traveller import groups


@pytest.fixture
def demo(demo_database: Database) -> Database:
    return demo_database


def test_the_soldiers_of_december_2024_and_their_handover(demo: Database):
    with demo.transaction() as s:
        crossing = crossings.get_crossing(s, "IQ-QAIM")
        (group,) = groups.list_group_arrivals(s, crossing=crossing)
        counts = groups.counts(s, group)
        assert group.category == "surrendering_military"
        assert counts.total > 1905 and counts.handed_over == 1905
        assert counts.reconciled
        assert counts.total == (
            counts.in_custody + counts.in_hospital + counts.released + counts.handed_over
        )
        assert counts.possible_matches >= 1, "every soldier screened; listed officers found"
        first_day = statistics.period_of(crossing, date(2024, 12, 7), date(2024, 12, 7))
        arrived = statistics.group_arrival_statistics(s, crossing, first_day)
        assert arrived["groups"] == 1


def test_the_first_fortnight_of_passengers(demo: Database):
    with demo.transaction() as s:
        crossing = crossings.get_crossing(s, "IQ-QAIM")
        closed = statistics.period_of(crossing, date(2024, 12, 7), date(2025, 6, 13))
        assert statistics.passenger_statistics(s, crossing, closed)["movements"] == 0, (
            "before the reopening every movement was refused with 409 and nothing recorded"
        )
        fortnight = statistics.period_of(crossing, date(2025, 6, 14), date(2025, 6, 27))
        p = statistics.passenger_statistics(s, crossing, fortnight)
        assert 14 * 1000 <= p["movements"] <= 14 * 2000
        assert p["entries"] > 0 and p["exits"] > 0
        assert p["refused"] > 0 and p["ever_referred"] > 0
        by = {n["nationality"]: n for n in p["by_nationality"]}
        assert by["IRQ"]["exits"] > 0 and by["IRQ"]["entries"] > 0, "Iraqis leave and return"
        assert by["SYR"]["entries"] > by["SYR"]["exits"] > 0, "Syrian travellers enter"
        assert audit.verify(s).ok
