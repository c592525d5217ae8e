"""The crossing's rules as pure code: plain values in, nothing or a refusal out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
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


class Direction(StrEnum):
    ENTRY = "entry"
    EXIT = "exit"


# Cargo says inbound and outbound: the same two directions.
DIRECTION_SYNONYMS = {"inbound": Direction.ENTRY, "outbound": Direction.EXIT}


def direction_of(value: str) -> Direction:
    return DIRECTION_SYNONYMS.get(value) or Direction(value)


class Category(StrEnum):
    """What a movement or a truck is, for a restricted direction's list of what may pass."""

    REGULAR = "regular"
    HUMANITARIAN = "humanitarian"
    VOLUNTARY_RETURN = "voluntary_return"
    RETURNING_CITIZENS = "returning_citizens"
    DIPLOMATIC = "diplomatic"
    EMPTY_TRUCKS = "empty_trucks"
    TRANSIT = "transit"
    PERISHABLES = "perishables"


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
class Allowed:
    """What may pass a restricted direction. An empty list sets no limit on its dimension; a
    movement must fit both lists (Al-Qaim, 2025: voluntary returns of Syrians, humanitarian aid)."""

    categories: frozenset[Category] = field(default_factory=frozenset)
    nationalities: frozenset[str] = field(default_factory=frozenset)

    def admits(self, category: Category, nationality: str | None) -> bool:
        if self.categories and category not in self.categories:
            return False
        return not self.nationalities or nationality in self.nationalities


@dataclass(frozen=True, slots=True)
class ClassStatus:
    """The state of one traffic class in one direction."""

    state: State
    reason_category: ReasonCategory | None
    allowed: Allowed | None = None


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    crossing_code: str
    state: AssessmentState
    recommendation: Recommendation
    traffic: frozenset[Traffic]


# Events that have happened (incidents) are dated from 1990 (older records belong to archives,
# not to a crossing's day-to-day system) to a day ahead of now (clocks and time zones disagree).
EARLIEST_EVENT = datetime(1990, 1, 1, tzinfo=UTC)
EVENT_LEEWAY = timedelta(days=1)


def event_time_problem(value: datetime | date, *, now: datetime) -> str | None:
    """Why a date or time of something that has happened is out of bounds, or None.

    9999-12-31 in a crossing's local time overflowed every page that showed it."""
    if isinstance(value, datetime):
        ok = EARLIEST_EVENT <= value <= now + EVENT_LEEWAY
    else:
        ok = EARLIEST_EVENT.date() <= value <= (now + EVENT_LEEWAY).date()
    return None if ok else f"must be between {EARLIEST_EVENT:%Y-%m-%d} and tomorrow"


# Which recommendations allow a security-closed class to go to which state.
REOPENING_ALLOWED_BY: dict[State, frozenset[Recommendation]] = {
    State.OPEN: frozenset({Recommendation.REOPEN}),
    # A full reopening recommendation covers the lesser step of a restricted reopening.
    State.RESTRICTED: frozenset({Recommendation.REOPEN, Recommendation.REOPEN_RESTRICTED}),
}


def check_status_change(
    *,
    crossing_code: str,
    current: Mapping[tuple[Traffic, Direction], ClassStatus],
    traffic: Iterable[Traffic],
    new_state: State,
    assessment: AssessmentFacts | None,
    directions: Iterable[Direction] = tuple(Direction),
    allowed: Allowed | None = None,
) -> None:
    """Refuse the whole change if any class may not move to `new_state` now, in any direction.

    A direction already in the new state is no change (409), unless a restriction changes what
    it allows. A direction closed for security leaves `closed` only on a joint assessment.
    """
    targets = [(t, d) for t in traffic for d in directions]
    new = ClassStatus(new_state, None, allowed if new_state == State.RESTRICTED else None)
    unchanged = [
        (t, d)
        for t, d in targets
        if current[t, d].state == new_state and (current[t, d].allowed or None) == new.allowed
    ]
    if unchanged:
        raise errors.conflict(
            "no-change",
            f"{', '.join(f'{t.value} {d.value}' for t, d in unchanged)} traffic is already "
            f"{new_state.value}.",
        )
    for t, d in targets:
        status = current[t, d]
        if status.state == State.CLOSED and status.reason_category == ReasonCategory.SECURITY:
            _require_joint_assessment(crossing_code, t, new_state, assessment)


def check_admission(
    *,
    crossing_code: str,
    traffic: Traffic,
    direction: Direction,
    status: ClassStatus,
    category: Category,
    nationality: str | None,
) -> None:
    """May this movement or truck pass now? Closed: no; restricted: only what it allows."""
    where = f"{crossing_code} is {status.state.value} to {traffic.value} {direction.value}"
    if status.state == State.CLOSED:
        raise errors.conflict(
            "crossing-closed",
            f"{where} ({status.reason_category or 'no reason given'}).",
            title="Crossing closed",
        )
    allowed = status.allowed if status.state == State.RESTRICTED else None
    if allowed is not None and not allowed.admits(category, nationality):
        raise errors.conflict(
            "category-not-allowed",
            f"{where}: {_describe(allowed)} may pass, not {category.value}"
            f"{f' ({nationality})' if nationality else ''}.",
            title="Not allowed while restricted",
        )


def _describe(allowed: Allowed) -> str:
    what = ", ".join(sorted(c.value for c in allowed.categories)) or "any category"
    if allowed.nationalities:
        what += f" of {', '.join(sorted(allowed.nationalities))}"
    return what


OPENNESS = {State.OPEN: 2, State.RESTRICTED: 1, State.CLOSED: 0}


def most_open(
    directions: Mapping[Direction, tuple[State, datetime]],
) -> Direction:
    """The direction a class's v1 status shows: the most open one, the latest changed on a tie."""
    return max(
        directions, key=lambda d: (OPENNESS[directions[d][0]], directions[d][1], d == "entry")
    )


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
