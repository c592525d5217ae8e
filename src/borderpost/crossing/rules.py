"""The crossing's rules as pure code: plain values in, nothing or a refusal out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from borderpost import errors
from borderpost.auth.permissions import Role


class Traffic(StrEnum):
    CARGO = "cargo"
    PASSENGER = "passenger"


class State(StrEnum):
    OPEN = "open"
    RESTRICTED = "restricted"
    CLOSED = "closed"


class ReasonCategory(StrEnum):
    SECURITY = "security"
    MAINTENANCE = "maintenance"
    WEATHER = "weather"
    HEALTH = "health"
    ADMINISTRATIVE = "administrative"
    DIPLOMATIC = "diplomatic"


class Recommendation(StrEnum):
    REOPEN = "reopen"
    REOPEN_RESTRICTED = "reopen_restricted"
    KEEP_CLOSED = "keep_closed"


class SignatureDecision(StrEnum):
    CONCUR = "concur"
    DISSENT = "dissent"


class AssessmentState(StrEnum):
    OPEN = "open"
    CONCLUDED = "concluded"
    DISPUTED = "disputed"


@dataclass(frozen=True, slots=True)
class ClassStatus:
    state: State
    reason_category: ReasonCategory | None


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    crossing_code: str
    state: AssessmentState
    recommendation: Recommendation
    traffic: frozenset[Traffic]


# Which recommendations allow a security-closed class to go to which state.
REOPENING_ALLOWED_BY: dict[State, frozenset[Recommendation]] = {
    State.OPEN: frozenset({Recommendation.REOPEN}),
    # A full reopening recommendation covers the lesser step of a restricted reopening.
    State.RESTRICTED: frozenset({Recommendation.REOPEN, Recommendation.REOPEN_RESTRICTED}),
}


def check_status_change(
    *,
    crossing_code: str,
    current: Mapping[Traffic, ClassStatus],
    traffic: Iterable[Traffic],
    new_state: State,
    assessment: AssessmentFacts | None,
) -> None:
    """Refuse the whole change if any class may not move to `new_state` now."""
    classes = list(traffic)
    unchanged = [t for t in classes if current[t].state == new_state]
    if unchanged:
        raise errors.conflict(
            "no-change",
            f"{', '.join(t.value for t in unchanged)} traffic is already {new_state.value}.",
        )
    for t in classes:
        status = current[t]
        if status.state == State.CLOSED and status.reason_category == ReasonCategory.SECURITY:
            _require_joint_assessment(crossing_code, t, new_state, assessment)


def _require_joint_assessment(
    crossing_code: str, traffic: Traffic, new_state: State, assessment: AssessmentFacts | None
) -> None:
    def refuse(why: str) -> errors.DomainError:
        return errors.conflict(
            "assessment-required",
            f"{traffic.value} traffic was closed for security: it reopens only on a joint "
            f"assessment concluded by both states. {why}",
            title="Joint assessment required",
        )

    if assessment is None:
        raise refuse("No assessment_id was given.")
    if assessment.crossing_code != crossing_code:
        raise refuse("The assessment is of another crossing.")
    if assessment.state != AssessmentState.CONCLUDED:
        raise refuse(f"The assessment is {assessment.state.value}, not concluded.")
    if traffic not in assessment.traffic:
        raise refuse(f"The assessment does not cover {traffic.value} traffic.")
    if assessment.recommendation not in REOPENING_ALLOWED_BY[new_state]:
        raise refuse(
            f"Its recommendation {assessment.recommendation.value!r} does not allow "
            f"{new_state.value}."
        )


def assessment_state(
    signatures: Mapping[str, SignatureDecision], *, country: str, neighbour: str
) -> AssessmentState:
    """Concluded when both states concur; disputed as soon as either dissents."""
    if SignatureDecision.DISSENT in signatures.values():
        return AssessmentState.DISPUTED
    if signatures.get(country) == SignatureDecision.CONCUR and (
        signatures.get(neighbour) == SignatureDecision.CONCUR
    ):
        return AssessmentState.CONCLUDED
    return AssessmentState.OPEN


def check_signature(
    *,
    role: Role,
    user_country: str | None,
    sign_for: str,
    country: str,
    neighbour: str,
    signed: Iterable[str],
    state: AssessmentState,
) -> None:
    if sign_for not in (country, neighbour):
        raise errors.invalid("country", f"must be {country} or {neighbour}, the two states party")
    # Each official signs for the state on their own record, a supervisor as a liaison: a user
    # with no country signs for none (it used to be taken for the crossing's own).
    acts_for = user_country
    if acts_for != sign_for:
        raise errors.forbidden(
            f"A {role.value} acting for {acts_for or 'no state'} may not sign for {sign_for}.",
            slug="wrong-country",
        )
    if sign_for in set(signed):
        raise errors.conflict("already-signed", f"{sign_for} has already signed this assessment.")
    if state != AssessmentState.OPEN:
        raise errors.conflict("assessment-closed", f"The assessment is already {state.value}.")
