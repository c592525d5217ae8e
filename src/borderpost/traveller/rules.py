"""The traveller domain's rules as pure code: the decision on a movement, custody transitions.

Refusals carry a documented ground, lettered in the manner of the Schengen standard form for
refusal of entry (Regulation (EU) 2016/399, Annex V Part B), which the EU entry/exit system
records with each refusal (Regulation (EU) 2017/2226, Art. 18). The letters keep their Schengen
meaning so that an analyst who knows the form reads ours without a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from borderpost import errors


class Direction(StrEnum):
    ENTRY = "entry"
    EXIT = "exit"


class Decision(StrEnum):
    ADMITTED = "admitted"
    REFERRED = "referred"
    REFUSED = "refused"


class TravelMode(StrEnum):
    FOOT = "foot"
    CAR = "car"
    BUS = "bus"
    TRUCK_DRIVER = "truck_driver"
    AIR = "air"  # an entry or exit by air, recorded by a supervisor (point `airport`)


class ScreeningStatus(StrEnum):
    CLEAR = "clear"
    POSSIBLE_MATCH = "possible_match"


class RefusalGround(StrEnum):
    """Annex V Part B of the Schengen Borders Code, letters A to I."""

    A = "A"  # no valid travel document
    B = "B"  # false, counterfeit or forged travel document
    C = "C"  # no valid visa or residence permit
    D = "D"  # false, counterfeit or forged visa or residence permit
    E = "E"  # no documentation justifying the purpose and conditions of stay
    F = "F"  # has already stayed the maximum period allowed
    G = "G"  # no sufficient means of subsistence
    H = "H"  # an alert for refusal of entry in a watchlist (SIS or a national register)
    I = "I"  # noqa: E741 - a threat to public policy, internal security, public health


GROUND_TEXT: dict[RefusalGround, str] = {
    RefusalGround.A: "has no valid travel document",
    RefusalGround.B: "has a false, counterfeit or forged travel document",
    RefusalGround.C: "has no valid visa or residence permit",
    RefusalGround.D: "has a false, counterfeit or forged visa or residence permit",
    RefusalGround.E: "has no documentation justifying the purpose and conditions of stay",
    RefusalGround.F: "has already stayed the maximum period allowed",
    RefusalGround.G: "has no sufficient means of subsistence",
    RefusalGround.H: "is the subject of an alert for refusal of entry",
    RefusalGround.I: "is considered a threat to public policy, internal security or public health",
}


class ReasonCode(StrEnum):
    DOCUMENT_EXPIRED = "document_expired"
    WATCHLIST_POSSIBLE_MATCH = "watchlist_possible_match"
    ALREADY_IN_COUNTRY = "already_in_country"
    NOT_IN_COUNTRY = "not_in_country"
    REFUSED_ON_REFERRAL = "refused_on_referral"
    ADMITTED_ON_REFERRAL = "admitted_on_referral"
    # The state's law (admission.rules): every rule that applied is a reason, also when it admits.
    CITIZEN = "citizen"
    VISA_EXEMPT = "visa_exempt"
    PERMIT_VALID = "permit_valid"
    TRANSFER_ZONE_DRIVER = "transfer_zone_driver"
    VISA_REQUIRED = "visa_required"
    DOCUMENT_ALERT = "document_alert"
    EXIT_BAN = "exit_ban"
    OVERSTAY = "overstay"
    ENTRY_BY_AIR = "entry_by_air"


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    message: str
    decision: Decision  # what this finding alone calls for
    ground: RefusalGround | None = None  # for refusals


# The decision a finding calls for; the movement takes the strictest of its findings.
SEVERITY = {Decision.ADMITTED: 0, Decision.REFERRED: 1, Decision.REFUSED: 2}


@dataclass(frozen=True, slots=True)
class MovementFacts:
    direction: Direction
    on: date  # the day of the movement, at the crossing
    screening: ScreeningStatus  # matches on screening lists (exit-ban lists are the state's)
    last_crossed: Direction | None  # the direction of the traveller's last admitted movement
    last_crossed_on: date | None = None
    # The findings of the state's law (admission.rules.assess), and whether the traveller is
    # its citizen: a citizen is referred where a foreigner would be refused.
    admission: tuple[Reason, ...] = ()
    citizen: bool = False


def decide(facts: MovementFacts) -> tuple[Decision, list[Reason]]:
    """The decision on a movement and every finding behind it, the state's law first."""
    reasons: list[Reason] = list(facts.admission)
    if facts.screening == ScreeningStatus.POSSIBLE_MATCH:
        reasons.append(
            Reason(
                ReasonCode.WATCHLIST_POSSIBLE_MATCH,
                "The name is a possible match on a watchlist: secondary inspection.",
                Decision.REFERRED,
            )
        )
    if facts.last_crossed == facts.direction:
        since = f" (since {facts.last_crossed_on.isoformat()})" if facts.last_crossed_on else ""
        if facts.direction == Direction.ENTRY:
            reasons.append(
                Reason(
                    ReasonCode.ALREADY_IN_COUNTRY,
                    f"An entry with no exit recorded since the last entry{since}.",
                    Decision.REFERRED,
                )
            )
        else:
            reasons.append(
                Reason(
                    ReasonCode.NOT_IN_COUNTRY,
                    f"An exit with no entry recorded since the last exit{since}.",
                    Decision.REFERRED,
                )
            )
    decision = max((r.decision for r in reasons), key=SEVERITY.__getitem__, default=None)
    decision = decision or Decision.ADMITTED
    if facts.citizen and decision == Decision.REFUSED:
        decision = Decision.REFERRED  # a state does not refuse its own citizens
    return decision, reasons


def default_ground(reason_codes: list[str]) -> RefusalGround:
    """The ground of a refusal on referral when the supervisor names none."""
    if ReasonCode.WATCHLIST_POSSIBLE_MATCH in reason_codes:
        return RefusalGround.H
    if ReasonCode.VISA_REQUIRED in reason_codes:
        return RefusalGround.C
    if ReasonCode.DOCUMENT_EXPIRED in reason_codes or ReasonCode.DOCUMENT_ALERT in reason_codes:
        return RefusalGround.A
    return RefusalGround.I


def check_resolution(current: Decision, *, holds_truck: bool = False) -> None:
    """Only a referred movement is resolved, and a refused driver's whose truck waits for it."""
    if holds_truck and current == Decision.REFUSED:
        return
    if current != Decision.REFERRED:
        raise errors.conflict(
            "not-referred",
            f"Only a referred movement can be resolved; this one is {current.value}.",
            title="Movement not referred",
        )


# --- group arrivals ---------------------------------------------------------------------------


class GroupCategory(StrEnum):
    SURRENDERING_MILITARY = "surrendering_military"
    REFUGEES = "refugees"
    EVACUEES = "evacuees"
    OTHER = "other"


class Custody(StrEnum):
    IN_CUSTODY = "in_custody"
    IN_HOSPITAL = "in_hospital"
    RELEASED = "released"
    HANDED_OVER = "handed_over"


# Allowed custody transitions. Released and handed over are final: a person released is no longer
# held (so cannot be handed over) and a person handed over is in the other state's hands.
CUSTODY_TRANSITIONS: dict[Custody, frozenset[Custody]] = {
    Custody.IN_CUSTODY: frozenset({Custody.IN_HOSPITAL, Custody.RELEASED, Custody.HANDED_OVER}),
    Custody.IN_HOSPITAL: frozenset({Custody.IN_CUSTODY, Custody.RELEASED, Custody.HANDED_OVER}),
    Custody.RELEASED: frozenset(),
    Custody.HANDED_OVER: frozenset(),
}

# The statuses a person may be registered with.
INITIAL_CUSTODY = frozenset({Custody.IN_CUSTODY, Custody.IN_HOSPITAL, Custody.RELEASED})


def refuse_custody_change(current: dict[str, Custody], new: Custody) -> errors.DomainError | None:
    """The refusal for persons (id -> status) who may not move to `new`, or None."""
    handed = sorted(pid for pid, status in current.items() if status == Custody.HANDED_OVER)
    if handed:
        error = errors.conflict(
            "already-handed-over",
            f"{len(handed)} of the persons were handed over already (a person is handed over "
            f"once only): {', '.join(handed[:10])}{', ...' if len(handed) > 10 else ''}.",
            title="Already handed over",
        )
        error.extra["person_ids"] = handed
        return error
    stuck = sorted(pid for pid, status in current.items() if new not in CUSTODY_TRANSITIONS[status])
    if stuck:
        error = errors.conflict(
            "custody-transition",
            f"{len(stuck)} of the persons cannot go to {new.value} from their present status "
            f"({', '.join(sorted({current[p].value for p in stuck}))}): "
            f"{', '.join(stuck[:10])}{', ...' if len(stuck) > 10 else ''}.",
            title="Custody change not allowed",
        )
        error.extra["person_ids"] = stuck
        return error
    return None
