"""The law of the crossing's state as pure code: which findings a movement's facts call for.

`assess` takes the state's rules (country_rules), the document, the permits and alerts found for
it and the stay granted at the last entry, and returns every rule that applied as a finding with
the decision that finding alone calls for. The traveller domain adds its own findings (watchlist,
presence), takes the strictest, and `cap_for_citizen` keeps a citizen from being refused: a state
cannot refuse its own citizens entry (nor exit for a document's sake), it refers them instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from borderpost.admission.country_rules import CountryRules


class Outcome(StrEnum):
    ADMITTED = "admitted"
    REFERRED = "referred"
    REFUSED = "refused"


SEVERITY = {Outcome.ADMITTED: 0, Outcome.REFERRED: 1, Outcome.REFUSED: 2}


class Code(StrEnum):
    CITIZEN = "citizen"
    VISA_EXEMPT = "visa_exempt"
    PERMIT_VALID = "permit_valid"
    TRANSFER_ZONE_DRIVER = "transfer_zone_driver"
    VISA_REQUIRED = "visa_required"
    DOCUMENT_EXPIRED = "document_expired"
    DOCUMENT_ALERT = "document_alert"
    EXIT_BAN = "exit_ban"
    OVERSTAY = "overstay"


class PermitKind(StrEnum):
    VISA = "visa"
    RESIDENCE = "residence"


class Entries(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"


class AlertKind(StrEnum):
    LOST = "lost"
    STOLEN = "stolen"
    REVOKED = "revoked"
    INVALID = "invalid"


class PermitStatus(StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    USED = "used"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Finding:
    code: Code
    message: str
    outcome: Outcome
    ground: str | None = None  # Schengen Annex V letter, for refusals


@dataclass(frozen=True, slots=True)
class PermitFacts:
    id: str
    kind: PermitKind
    number: str
    valid_from: date
    valid_until: date
    stay_days: int | None
    entries: Entries
    used: bool
    cancelled: bool


@dataclass(frozen=True, slots=True)
class AlertFacts:
    kind: AlertKind
    source: str
    note: str | None


@dataclass(frozen=True, slots=True)
class AdmissionFacts:
    direction: str  # entry | exit
    on: date  # the day at the crossing, in its time zone
    nationality: str
    expiry_date: date
    truck_driver: bool = False
    permits: tuple[PermitFacts, ...] = ()
    alerts: tuple[AlertFacts, ...] = ()
    exit_ban_lists: tuple[str, ...] = ()  # lists (purpose exit_ban) the person matched
    stay_until: date | None = None  # on exit: the last day of the stay granted at entry


@dataclass(frozen=True, slots=True)
class Assessment:
    citizen: bool
    findings: list[Finding] = field(default_factory=list)
    permit_id: str | None = None  # the permit the entry uses (a single-entry one is used up)
    stay_until: date | None = None  # on entry: the last day the stay allows
    overstay_days: int | None = None  # on exit


def permit_status(permit: PermitFacts, on: date) -> PermitStatus:
    if permit.cancelled:
        return PermitStatus.CANCELLED
    if permit.entries == Entries.SINGLE and permit.used:
        return PermitStatus.USED
    if on < permit.valid_from:
        return PermitStatus.NOT_YET_VALID
    if on > permit.valid_until:
        return PermitStatus.EXPIRED
    return PermitStatus.VALID


def _stay_until(permit: PermitFacts, on: date, rules: CountryRules) -> date:
    """A residence permit allows a stay to its end; a visa its stay days (the state's default
    when it names none), never past its end."""
    if permit.kind == PermitKind.RESIDENCE:
        return permit.valid_until
    days = permit.stay_days or rules.default_stay_days
    return min(permit.valid_until, on + timedelta(days=days))


_WHY_NOT = {
    PermitStatus.CANCELLED: "was cancelled",
    PermitStatus.USED: "is a single-entry permit already used",
    PermitStatus.NOT_YET_VALID: "is not valid before {from_}",
    PermitStatus.EXPIRED: "expired on {until}",
}


def _alert_findings(alerts: tuple[AlertFacts, ...]) -> list[Finding]:
    return [
        Finding(
            Code.DOCUMENT_ALERT,
            f"The document is listed as {a.kind.value} by {a.source}"
            + (f" ({a.note})" if a.note else "")
            + ": secondary inspection.",
            Outcome.REFERRED,
        )
        for a in alerts
    ]


def assess(rules: CountryRules, facts: AdmissionFacts) -> Assessment:
    """Every rule of the state that applies to this movement, as findings."""
    citizen = rules.is_citizen(facts.nationality)
    findings: list[Finding] = []
    if citizen:
        findings.append(
            Finding(
                Code.CITIZEN,
                f"A citizen of {rules.state}: never refused, referred when a rule objects.",
                Outcome.ADMITTED,
            )
        )
    expired = facts.expiry_date < facts.on
    if facts.direction == "exit":
        if expired:
            findings.append(
                Finding(
                    Code.DOCUMENT_EXPIRED,
                    f"The document expired on {facts.expiry_date.isoformat()}; "
                    "an exit is never refused for it.",
                    Outcome.ADMITTED,
                )
            )
        findings += _alert_findings(facts.alerts)
        for name in facts.exit_ban_lists:
            findings.append(
                Finding(
                    Code.EXIT_BAN,
                    f"A possible match on the exit-ban list {name}: secondary inspection.",
                    Outcome.REFERRED,
                )
            )
        overstay = None
        if not citizen and facts.stay_until is not None and facts.on > facts.stay_until:
            overstay = (facts.on - facts.stay_until).days
            findings.append(
                Finding(
                    Code.OVERSTAY,
                    f"The stay allowed ended on {facts.stay_until.isoformat()}: {overstay} "
                    "days over; the exit is not refused for it.",
                    Outcome.ADMITTED,
                )
            )
        return Assessment(citizen=citizen, findings=findings, overstay_days=overstay)

    if expired:
        findings.append(
            Finding(
                Code.DOCUMENT_EXPIRED,
                f"The document expired on {facts.expiry_date.isoformat()}.",
                Outcome.REFERRED if citizen else Outcome.REFUSED,
                None if citizen else "A",
            )
        )
    findings += _alert_findings(facts.alerts)
    if citizen:
        return Assessment(citizen=True, findings=findings)
    if facts.truck_driver and not rules.transfer_zone_drivers_need_visa:
        findings.append(
            Finding(
                Code.TRANSFER_ZONE_DRIVER,
                f"A truck driver staying in the customs transfer zone: {rules.state} asks no "
                "visa of them.",
                Outcome.ADMITTED,
            )
        )
        return Assessment(citizen=False, findings=findings)
    exempt = rules.exempt_stay_days(facts.nationality)
    if exempt is not None:
        findings.append(
            Finding(
                Code.VISA_EXEMPT,
                f"{facts.nationality} nationals need no visa for {rules.state}: a stay of "
                f"{exempt} days.",
                Outcome.ADMITTED,
            )
        )
        return Assessment(
            citizen=False, findings=findings, stay_until=facts.on + timedelta(days=exempt)
        )
    valid = [p for p in facts.permits if permit_status(p, facts.on) == PermitStatus.VALID]
    if valid:
        # The permit allowing the longest stay; a multiple-entry one before a single-entry one
        # of the same reach, so a single-entry visa is not used up needlessly.
        best = max(
            valid,
            key=lambda p: (_stay_until(p, facts.on, rules), p.entries == Entries.MULTIPLE),
        )
        until = _stay_until(best, facts.on, rules)
        findings.append(
            Finding(
                Code.PERMIT_VALID,
                f"{best.kind.value.capitalize()} {best.number} ({best.entries.value} entry) is "
                f"valid: a stay until {until.isoformat()}.",
                Outcome.ADMITTED,
            )
        )
        return Assessment(citizen=False, findings=findings, permit_id=best.id, stay_until=until)
    why = "; ".join(
        f"{p.kind.value} {p.number} "
        + _WHY_NOT[permit_status(p, facts.on)].format(
            from_=p.valid_from.isoformat(), until=p.valid_until.isoformat()
        )
        for p in facts.permits
    )
    findings.append(
        Finding(
            Code.VISA_REQUIRED,
            f"{facts.nationality} nationals need a visa or residence permit for {rules.state}"
            + (
                f"; none is valid today: {why}." if why else "; none is recorded for this document."
            ),
            Outcome.REFUSED,
            "C",
        )
    )
    return Assessment(citizen=False, findings=findings)


def strictest(outcomes: list[Outcome], *, citizen: bool) -> Outcome:
    """The movement's decision: the strictest finding, a refusal turned into a referral for a
    citizen."""
    worst = max(outcomes, key=SEVERITY.__getitem__, default=Outcome.ADMITTED)
    if citizen and worst == Outcome.REFUSED:
        return Outcome.REFERRED
    return worst
