"""The state's law as pure code: admission.rules.assess with the country files."""

from __future__ import annotations

from datetime import date, timedelta

from borderpost.admission import rules
from borderpost.admission.country_rules import known_states, rules_for
from borderpost.admission.rules import AdmissionFacts, Entries, Outcome, PermitFacts, PermitKind

TODAY = date(2025, 6, 14)
IRQ = rules_for("IRQ")


def facts(**kw) -> AdmissionFacts:
    base = {
        "direction": "entry",
        "on": TODAY,
        "nationality": "SYR",
        "expiry_date": date(2030, 1, 1),
    }
    return AdmissionFacts(**(base | kw))


def permit(**kw) -> PermitFacts:
    base = {
        "id": "p1",
        "kind": PermitKind.VISA,
        "number": "V1",
        "valid_from": date(2025, 6, 1),
        "valid_until": date(2025, 9, 1),
        "stay_days": 30,
        "entries": Entries.SINGLE,
        "used": False,
        "cancelled": False,
    }
    return PermitFacts(**(base | kw))


def codes(a: rules.Assessment) -> list[str]:
    return [f.code.value for f in a.findings]


def test_the_country_files_are_read_with_their_sources():
    assert {"IRQ", "SYR", "JOR"} <= set(known_states())
    assert IRQ.visa_exempt == {} and not IRQ.visa_on_arrival_at_land_crossings
    assert not IRQ.transfer_zone_drivers_need_visa and IRQ.default_stay_days == 60
    assert all(s.url.startswith("http") for s in IRQ.sources) and IRQ.sources
    assert rules_for("JOR").exempt_stay_days("LBN") == 90
    unknown = rules_for("FRA")
    assert not unknown.from_file and unknown.is_citizen("FRA") and unknown.visa_exempt == {}


def test_a_foreigner_without_a_permit_is_refused_on_ground_c():
    a = rules.assess(IRQ, facts())
    assert codes(a) == ["visa_required"] and a.findings[0].outcome == Outcome.REFUSED
    assert a.findings[0].ground == "C"


def test_a_valid_visa_admits_for_its_stay_days():
    a = rules.assess(IRQ, facts(permits=(permit(),)))
    assert codes(a) == ["permit_valid"] and a.permit_id == "p1"
    assert a.stay_until == TODAY + timedelta(days=30)


def test_a_visa_without_stay_days_takes_the_states_default_never_past_its_end():
    a = rules.assess(IRQ, facts(permits=(permit(stay_days=None, valid_until=date(2026, 1, 1)),)))
    assert a.stay_until == TODAY + timedelta(days=60)
    b = rules.assess(IRQ, facts(permits=(permit(stay_days=None, valid_until=date(2025, 7, 1)),)))
    assert b.stay_until == date(2025, 7, 1)


def test_a_residence_permit_allows_a_stay_to_its_end():
    a = rules.assess(IRQ, facts(permits=(permit(kind=PermitKind.RESIDENCE, stay_days=None),)))
    assert a.stay_until == date(2025, 9, 1)


def test_used_cancelled_early_and_expired_permits_do_not_count_and_say_why():
    for p, why in [
        (permit(used=True), "already used"),
        (permit(cancelled=True), "cancelled"),
        (permit(valid_from=TODAY + timedelta(days=1)), "not valid before"),
        (permit(valid_until=TODAY - timedelta(days=1)), "expired on"),
    ]:
        a = rules.assess(IRQ, facts(permits=(p,)))
        assert codes(a) == ["visa_required"] and why in a.findings[0].message


def test_a_used_single_entry_visa_leaves_a_multiple_entry_one_to_use():
    multi = permit(id="p2", entries=Entries.MULTIPLE)
    a = rules.assess(IRQ, facts(permits=(permit(used=True), multi)))
    assert a.permit_id == "p2"
    same_reach = rules.assess(IRQ, facts(permits=(permit(), multi)))
    assert same_reach.permit_id == "p2", "the single-entry visa is kept for later"


def test_validity_days_are_inclusive():
    assert rules.assess(IRQ, facts(permits=(permit(valid_until=TODAY),))).permit_id == "p1"
    assert rules.assess(IRQ, facts(permits=(permit(valid_from=TODAY),))).permit_id == "p1"


def test_a_citizen_is_never_refused_and_needs_no_visa():
    a = rules.assess(IRQ, facts(nationality="IRQ", expiry_date=date(2020, 1, 1)))
    assert codes(a) == ["citizen", "document_expired"] and a.citizen
    assert a.findings[1].outcome == Outcome.REFERRED
    assert rules.strictest([Outcome.REFUSED], citizen=True) == Outcome.REFERRED
    assert rules.strictest([Outcome.REFUSED], citizen=False) == Outcome.REFUSED


def test_a_foreigners_expired_document_is_refused_on_ground_a():
    a = rules.assess(IRQ, facts(expiry_date=TODAY - timedelta(days=1), permits=(permit(),)))
    assert codes(a) == ["document_expired", "permit_valid"]
    assert a.findings[0].outcome == Outcome.REFUSED and a.findings[0].ground == "A"


def test_visa_exempt_nationals_of_jordan_stay_their_days():
    jor = rules_for("JOR")
    a = rules.assess(jor, facts(nationality="LBN"))
    assert codes(a) == ["visa_exempt"] and a.stay_until == TODAY + timedelta(days=90)
    assert codes(rules.assess(jor, facts(nationality="SYR"))) == ["visa_required"]


def test_drivers_in_irqs_transfer_zone_need_no_visa_but_jordans_do():
    assert codes(rules.assess(IRQ, facts(truck_driver=True))) == ["transfer_zone_driver"]
    assert codes(rules.assess(rules_for("JOR"), facts(truck_driver=True))) == ["visa_required"]


def test_exit_is_never_refused_for_an_expired_document_or_stay():
    a = rules.assess(
        IRQ,
        facts(direction="exit", expiry_date=TODAY - timedelta(days=3), stay_until=date(2025, 6, 4)),
    )
    assert codes(a) == ["document_expired", "overstay"] and a.overstay_days == 10
    assert {f.outcome for f in a.findings} == {Outcome.ADMITTED}
    on_time = rules.assess(IRQ, facts(direction="exit", stay_until=TODAY))
    assert codes(on_time) == [] and on_time.overstay_days is None


def test_exit_ban_and_document_alert_refer_on_exit():
    alert = rules.AlertFacts(rules.AlertKind.STOLEN, "INTERPOL SLTD", "reported in Aleppo")
    a = rules.assess(IRQ, facts(direction="exit", alerts=(alert,), exit_ban_lists=("courts",)))
    assert codes(a) == ["document_alert", "exit_ban"]
    assert "INTERPOL SLTD" in a.findings[0].message and "stolen" in a.findings[0].message
    assert {f.outcome for f in a.findings} == {Outcome.REFERRED}
    entry = rules.assess(IRQ, facts(alerts=(alert,), permits=(permit(),)))
    assert codes(entry) == ["document_alert", "permit_valid"]
