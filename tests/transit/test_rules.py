from datetime import UTC, datetime, timedelta

from borderpost.transit.rules import TransitState, is_overdue, overdue_hours, state_after_discharge

T0 = datetime(2025, 6, 14, 8, tzinfo=UTC)


def test_seals_found_as_applied_discharge_the_transit_in_any_order():
    assert state_after_discharge(["S1", "S2"], ["S2", "S1"]) is TransitState.DISCHARGED
    assert state_after_discharge(["S1", "S2"], ["S1"]) is TransitState.DISCHARGED_WITH_DISCREPANCY
    assert state_after_discharge(["S1"], ["S9"]) is TransitState.DISCHARGED_WITH_DISCREPANCY


def test_only_an_open_transit_past_its_limit_is_overdue():
    assert is_overdue("open", T0, T0 + timedelta(minutes=1))
    assert not is_overdue("open", T0, T0)
    assert not is_overdue("discharged", T0, T0 + timedelta(days=3))
    assert overdue_hours(T0, T0 + timedelta(hours=49, minutes=59)) == 49
