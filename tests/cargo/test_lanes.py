import pytest

from borderpost.cargo.lanes import (
    ALLOWED_TRANSITIONS,
    CargoRuleViolation,
    Lane,
    TruckState,
    check_release,
    check_transition,
    needs_post_clearance_audit,
    release_allowed,
    required_inspection_kinds,
    state_after_inspection,
)


def test_required_kinds_per_lane():
    assert required_inspection_kinds("green") == set()
    assert required_inspection_kinds(Lane.BLUE) == set()
    assert required_inspection_kinds("yellow") == {"documentary", "physical", "xray"}
    assert required_inspection_kinds("red") == {"physical"}  # an x-ray alone does not clear red
    assert needs_post_clearance_audit("blue")
    assert not needs_post_clearance_audit("green")


@pytest.mark.parametrize(
    ("lane", "inspections", "expected"),
    [
        ("green", [], (True, "no-control-required")),
        ("blue", [], (True, "post-clearance-audit")),
        ("yellow", [], (False, "inspection-required")),
        ("yellow", [("documentary", "cleared")], (True, "inspected")),
        ("yellow", [("physical", "cleared")], (True, "inspected")),
        ("red", [], (False, "inspection-required")),
        ("red", [("documentary", "cleared")], (False, "inspection-required")),
        ("red", [("xray", "cleared")], (False, "inspection-required")),
        ("red", [("xray", "cleared"), ("physical", "cleared")], (True, "inspected")),
        ("red", [("physical", "cleared")], (True, "inspected")),
        ("red", [("physical", "discrepancy")], (False, "discrepancy-open")),
        ("red", [("physical", "discrepancy"), ("physical", "cleared")], (True, "inspected")),
        (
            "yellow",
            [("documentary", "cleared"), ("documentary", "discrepancy")],
            (False, "discrepancy-open"),
        ),
        ("green", [("xray", "seizure")], (False, "detained")),
        ("red", [("xray", "seizure"), ("physical", "cleared")], (False, "detained")),
    ],
)
def test_release_allowed(lane, inspections, expected):
    assert release_allowed(lane, inspections) == expected


def test_transitions_table():
    assert ALLOWED_TRANSITIONS[TruckState.RELEASED] == frozenset()
    assert ALLOWED_TRANSITIONS[TruckState.DETAINED] == frozenset()
    check_transition("queued", "inspecting")
    check_transition("queued", "released")
    check_transition("inspecting", "detained")
    with pytest.raises(CargoRuleViolation) as err:
        check_transition("released", "inspecting")
    assert err.value.code == "already-released"
    with pytest.raises(CargoRuleViolation) as err:
        check_transition("detained", "released")
    assert err.value.code == "detained"
    with pytest.raises(CargoRuleViolation) as err:
        check_transition("inspecting", "queued")
    assert err.value.code == "invalid-transition"


def test_state_after_inspection():
    assert state_after_inspection("queued", "cleared") is TruckState.INSPECTING
    assert state_after_inspection("queued", "seizure") is TruckState.DETAINED
    assert state_after_inspection("inspecting", "discrepancy") is TruckState.INSPECTING
    assert state_after_inspection("inspecting", "seizure") is TruckState.DETAINED
    assert state_after_inspection("detained", "cleared") is TruckState.DETAINED
    with pytest.raises(CargoRuleViolation) as err:
        state_after_inspection("released", "cleared")
    assert err.value.code == "already-released"


@pytest.mark.parametrize(
    ("state", "lane", "inspections", "code"),
    [
        ("queued", "red", [], "inspection-required"),
        ("queued", "yellow", [], "inspection-required"),
        ("released", "green", [], "already-released"),
        ("detained", "red", [("physical", "seizure")], "detained"),
        ("inspecting", "red", [("physical", "discrepancy")], "discrepancy-open"),
    ],
)
def test_check_release_refusals(state, lane, inspections, code):
    with pytest.raises(CargoRuleViolation) as err:
        check_release(state, lane, inspections)
    assert err.value.code == code


def test_check_release_allows():
    check_release("queued", "green", [])
    check_release("queued", "blue", [])
    check_release("inspecting", "red", [("xray", "cleared"), ("physical", "cleared")])
