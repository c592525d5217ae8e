"""The movement decision and the custody transitions, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from borderpost.errors import DomainError
from borderpost.traveller import rules
from borderpost.traveller.rules import (
    Custody,
    Decision,
    Direction,
    MovementFacts,
    ReasonCode,
    RefusalGround,
    ScreeningStatus,
)

TODAY = date(2025, 6, 14)


def facts(**kw) -> MovementFacts:
    base = {
        "direction": Direction.ENTRY,
        "on": TODAY,
        "screening": ScreeningStatus.CLEAR,
        "last_crossed": None,
    }
    return MovementFacts(**(base | kw))


def codes(reasons) -> list[str]:
    return [r.code.value for r in reasons]


def test_a_clear_first_crossing_is_admitted_with_no_reason():
    assert rules.decide(facts()) == (Decision.ADMITTED, [])
    assert rules.decide(facts(direction=Direction.EXIT))[0] == Decision.ADMITTED


EXPIRED = rules.Reason(ReasonCode.DOCUMENT_EXPIRED, "expired", Decision.REFUSED, RefusalGround.A)


def test_the_state_findings_come_first_and_a_refusal_refuses_a_foreigner():
    decision, reasons = rules.decide(facts(admission=(EXPIRED,)))
    assert decision == Decision.REFUSED and codes(reasons) == ["document_expired"]


def test_a_citizen_is_referred_where_a_foreigner_is_refused():
    decision, reasons = rules.decide(facts(admission=(EXPIRED,), citizen=True))
    assert decision == Decision.REFERRED and codes(reasons) == ["document_expired"]


def test_watchlist_match_is_referred():
    decision, reasons = rules.decide(facts(screening=ScreeningStatus.POSSIBLE_MATCH))
    assert decision == Decision.REFERRED and codes(reasons) == ["watchlist_possible_match"]


@pytest.mark.parametrize(
    ("direction", "last", "code"),
    [
        (Direction.ENTRY, Direction.ENTRY, "already_in_country"),
        (Direction.EXIT, Direction.EXIT, "not_in_country"),
    ],
)
def test_the_same_direction_twice_is_referred(direction, last, code):
    decision, reasons = rules.decide(
        facts(direction=direction, last_crossed=last, last_crossed_on=date(2025, 6, 1))
    )
    assert decision == Decision.REFERRED and codes(reasons) == [code]
    assert "2025-06-01" in reasons[0].message


def test_alternating_directions_are_admitted():
    assert rules.decide(facts(direction=Direction.EXIT, last_crossed=Direction.ENTRY))[0] == (
        Decision.ADMITTED
    )
    assert rules.decide(facts(direction=Direction.ENTRY, last_crossed=Direction.EXIT))[0] == (
        Decision.ADMITTED
    )


def test_the_strictest_finding_decides_and_every_finding_is_kept():
    decision, reasons = rules.decide(
        facts(
            admission=(EXPIRED,),
            screening=ScreeningStatus.POSSIBLE_MATCH,
            last_crossed=Direction.ENTRY,
        )
    )
    assert decision == Decision.REFUSED
    assert codes(reasons) == ["document_expired", "watchlist_possible_match", "already_in_country"]


def test_only_a_referral_can_be_resolved():
    rules.check_resolution(Decision.REFERRED)
    for decision in (Decision.ADMITTED, Decision.REFUSED):
        with pytest.raises(DomainError) as caught:
            rules.check_resolution(decision)
        assert caught.value.status == 409 and caught.value.slug == "not-referred"
    rules.check_resolution(Decision.REFUSED, holds_truck=True)  # a refused driver's truck waits


def test_default_refusal_ground_follows_the_referral():
    assert rules.default_ground([ReasonCode.WATCHLIST_POSSIBLE_MATCH.value]) == RefusalGround.H
    assert rules.default_ground([ReasonCode.ALREADY_IN_COUNTRY.value]) == RefusalGround.I
    assert set(rules.GROUND_TEXT) == set(RefusalGround), "every letter is documented"


def test_custody_transitions():
    assert rules.refuse_custody_change({"a": Custody.IN_CUSTODY}, Custody.HANDED_OVER) is None
    assert rules.refuse_custody_change({"a": Custody.IN_HOSPITAL}, Custody.HANDED_OVER) is None
    twice = rules.refuse_custody_change(
        {"a": Custody.HANDED_OVER, "b": Custody.IN_CUSTODY}, Custody.HANDED_OVER
    )
    assert twice is not None and twice.slug == "already-handed-over"
    assert twice.extra["person_ids"] == ["a"]
    released = rules.refuse_custody_change({"b": Custody.RELEASED}, Custody.HANDED_OVER)
    assert released is not None and released.slug == "custody-transition"
    back = rules.refuse_custody_change({"c": Custody.IN_HOSPITAL}, Custody.IN_CUSTODY)
    assert back is None
    same = rules.refuse_custody_change({"c": Custody.IN_CUSTODY}, Custody.IN_CUSTODY)
    assert same is not None and same.slug == "custody-transition"
