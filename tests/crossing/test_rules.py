"""The crossing rules, pure: no database."""

from __future__ import annotations

import pytest

from borderpost.auth.permissions import Role
from borderpost.crossing import rules
from borderpost.crossing.rules import (
    AssessmentFacts,
    AssessmentState,
    ClassStatus,
    Direction,
    ReasonCategory,
    Recommendation,
    SignatureDecision,
    State,
    Traffic,
)
from borderpost.errors import DomainError

CLOSED_SECURITY = ClassStatus(State.CLOSED, ReasonCategory.SECURITY)
OPEN = ClassStatus(State.OPEN, None)
BOTH = frozenset(Traffic)


def facts(state=AssessmentState.CONCLUDED, rec=Recommendation.REOPEN, traffic=BOTH, code="IQ-QAIM"):
    return AssessmentFacts(crossing_code=code, state=state, recommendation=rec, traffic=traffic)


def change(current, traffic, new_state, assessment):
    """`current` per class, the same in both directions."""
    rules.check_status_change(
        crossing_code="IQ-QAIM",
        current={(t, d): s for t, s in current.items() for d in Direction},
        traffic=traffic,
        new_state=new_state,
        assessment=assessment,
    )


def slug_of(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.slug


@pytest.mark.parametrize(
    ("assessment", "why"),
    [
        (None, "No assessment_id"),
        (facts(state=AssessmentState.OPEN), "open, not concluded"),
        (facts(state=AssessmentState.DISPUTED), "disputed"),
        (facts(code="IQ-OTHER"), "another crossing"),
        (facts(traffic=frozenset({Traffic.PASSENGER})), "does not cover cargo"),
        (facts(rec=Recommendation.KEEP_CLOSED), "keep_closed"),
        (facts(rec=Recommendation.REOPEN_RESTRICTED), "reopen_restricted"),
    ],
)
def test_security_closure_reopens_only_on_a_fitting_concluded_assessment(assessment, why):
    current = {Traffic.CARGO: CLOSED_SECURITY, Traffic.PASSENGER: CLOSED_SECURITY}
    with pytest.raises(DomainError) as exc:
        change(current, [Traffic.CARGO], State.OPEN, assessment)
    assert slug_of(exc) == "assessment-required"
    assert exc.value.status == 409
    assert why in exc.value.detail


def test_concluded_reopen_assessment_allows_open_and_restricted():
    current = {Traffic.CARGO: CLOSED_SECURITY, Traffic.PASSENGER: CLOSED_SECURITY}
    change(current, [Traffic.CARGO, Traffic.PASSENGER], State.OPEN, facts())
    change(current, [Traffic.CARGO], State.RESTRICTED, facts())
    change(current, [Traffic.CARGO], State.RESTRICTED, facts(rec=Recommendation.REOPEN_RESTRICTED))


def test_closure_for_other_reasons_reopens_without_assessment():
    current = {
        Traffic.CARGO: ClassStatus(State.CLOSED, ReasonCategory.WEATHER),
        Traffic.PASSENGER: OPEN,
    }
    change(current, [Traffic.CARGO], State.OPEN, None)


def test_a_change_to_the_current_state_refuses_the_whole_request():
    current = {
        Traffic.CARGO: OPEN,
        Traffic.PASSENGER: ClassStatus(State.CLOSED, ReasonCategory.HEALTH),
    }
    with pytest.raises(DomainError) as exc:
        change(current, [Traffic.CARGO, Traffic.PASSENGER], State.OPEN, None)
    assert slug_of(exc) == "no-change"


@pytest.mark.parametrize(
    ("signatures", "expected"),
    [
        ({}, AssessmentState.OPEN),
        ({"IRQ": SignatureDecision.CONCUR}, AssessmentState.OPEN),
        ({"SYR": SignatureDecision.CONCUR}, AssessmentState.OPEN),
        (
            {"IRQ": SignatureDecision.CONCUR, "SYR": SignatureDecision.CONCUR},
            AssessmentState.CONCLUDED,
        ),
        ({"IRQ": SignatureDecision.DISSENT}, AssessmentState.DISPUTED),
        (
            {"IRQ": SignatureDecision.CONCUR, "SYR": SignatureDecision.DISSENT},
            AssessmentState.DISPUTED,
        ),
    ],
)
def test_assessment_state_from_signatures(signatures, expected):
    assert rules.assessment_state(signatures, country="IRQ", neighbour="SYR") == expected


def sign(role, user_country, sign_for, signed=(), state=AssessmentState.OPEN):
    rules.check_signature(
        role=role,
        user_country=user_country,
        sign_for=sign_for,
        country="IRQ",
        neighbour="SYR",
        signed=signed,
        state=state,
    )


def test_liaison_signs_only_for_own_state_and_supervisor_for_the_crossing_state():
    sign(Role.LIAISON, "SYR", "SYR")
    sign(Role.SUPERVISOR, "IRQ", "IRQ")
    refused = [
        (Role.LIAISON, "SYR", "IRQ"),
        (Role.SUPERVISOR, "IRQ", "SYR"),
        (Role.SUPERVISOR, None, "IRQ"),  # a supervisor with no country signs for no state
        (Role.SUPERVISOR, None, "SYR"),
    ]
    for role, country, target in refused:
        with pytest.raises(DomainError) as exc:
            sign(role, country, target)
        assert exc.value.status == 403 and slug_of(exc) == "wrong-country"


def test_second_signature_for_a_state_and_third_states_are_refused():
    with pytest.raises(DomainError) as exc:
        sign(Role.LIAISON, "SYR", "SYR", signed=["SYR"])
    assert slug_of(exc) == "already-signed"
    with pytest.raises(DomainError) as exc:
        sign(Role.LIAISON, "JOR", "JOR")
    assert exc.value.status == 422 and exc.value.errors[0].field == "country"
