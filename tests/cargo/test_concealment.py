"""The shipped profile's concealment rules, the first-time trader by tax number, empty trucks."""

from __future__ import annotations

from borderpost.auth.permissions import Role
from borderpost.cargo.risk import DeclarationItemFacts, Lane, assess_risk, rule_draw
from tests.cargo.factories import arrival, item
from tests.cargo.test_api import number_drawing, registered
from tests.cargo.test_risk import facts, no_random, rule_ids
from tests.conftest import Api

ORANGES = DeclarationItemFacts("080510", 20_000, 24_000, "USD")
C = Role.CUSTOMS


def test_refrigerated_fruit_from_syria_is_yellow_at_least_and_red_at_a_rate():
    profile = no_random()
    lanes = []
    for seed in range(400):
        decision = assess_risk(facts(ORANGES, temperature_controlled=True), profile, seed=seed)
        assert "reefer-fruit-syria" in rule_ids(decision)
        assert decision.lane in (Lane.YELLOW, Lane.RED)
        red = rule_draw(seed, "reefer-fruit-syria-red") < 0.25
        assert (decision.lane is Lane.RED) is red
        lanes.append(decision.lane)
    assert 0.15 < lanes.count(Lane.RED) / len(lanes) < 0.35  # the rate, drawn per declaration
    for other in (
        facts(ORANGES),  # not refrigerated
        facts(ORANGES, temperature_controlled=True, origin_country="TUR"),
        facts(temperature_controlled=True),  # cement
    ):
        hits = rule_ids(assess_risk(other, profile, seed=1))
        assert not hits & {"reefer-fruit-syria", "reefer-fruit-syria-red"}


def test_the_first_time_trader_rule_keys_on_the_tax_number(api: Api, crossing_code):
    first = registered(
        api, crossing_code, arrival(number=number_drawing(0.2, 1.0), importer="Qaim Fresh Market",
                                    trader_id="IQ-TIN-300148")
    )  # fmt: skip
    assert "first-time-trader" in [r["rule_id"] for r in first["lane_reasons"]]
    # The same trader under another spelling of its name: known by its tax number.
    again = registered(
        api, crossing_code, arrival(number=number_drawing(0.2, 1.0), importer="Al-Qaim Fresh Mkt.",
                                    trader_id="iq-tin-300148")
    )  # fmt: skip
    assert again["lane"] == "green" and again["risk"]["inputs"]["first_time_trader"] is False
    # Another trader with the first one's name but its own tax number is new.
    other = registered(
        api, crossing_code, arrival(number=number_drawing(0.2, 1.0), importer="Qaim Fresh Market",
                                    trader_id="IQ-TIN-999001")
    )  # fmt: skip
    assert other["risk"]["inputs"]["first_time_trader"] is True


def test_an_empty_truck_is_registered_and_owes_fees_only(api: Api, crossing_code):
    body = arrival(regime="empty", items=[], direction="outbound", origin_country="IRQ",
                   destination_country="SYR")  # fmt: skip
    truck = registered(api, crossing_code, body)
    assert truck["declaration"]["regime"] == "empty" and truck["declaration"]["items"] == []
    assert truck["declaration"]["gross_kg"] == 0
    a = truck["assessment"]
    assert a["lines"] == [] and a["duties"] == 0 and a["total"] == a["fees"] == 5000
    loaded = arrival(regime="empty", items=[item()])
    refused = api.post(f"/crossings/{crossing_code}/trucks", C, loaded)
    assert refused.status_code == 422 and "no items" in refused.text
    no_items = api.post(f"/crossings/{crossing_code}/trucks", C, arrival(items=[]))
    assert no_items.status_code == 422 and "at least one item" in no_items.text


def test_humanitarian_priority_needs_a_supervisors_confirmation(api: Api, crossing_code):
    ordinary = registered(api, crossing_code, arrival())
    relief = registered(api, crossing_code, arrival(humanitarian=True))
    assert relief["priority_class"] == "standard"  # the trader's word alone
    assert relief["queue_position"] == 2 and "ordinary goods" in relief["placement_reason"]
    path = f"/trucks/{relief['id']}/humanitarian-confirmation"
    assert api.post(path, C).status_code == 403  # customs may not
    confirmed = api.post(path, Role.SUPERVISOR)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["priority_class"] == "live_animals" and body["queue_position"] == 1
    assert body["humanitarian_confirmed_at"] is not None
    queue = api.get(f"/crossings/{crossing_code}/queue", C).json()["items"]
    assert [q["id"] for q in queue] == [relief["id"], ordinary["id"]]
    assert "humanitarian" in queue[0]["placement_reason"]
    again = api.post(path, Role.SUPERVISOR)
    assert again.status_code == 409 and again.json()["type"].endswith("/already-confirmed")
    plain = api.post(f"/trucks/{ordinary['id']}/humanitarian-confirmation", Role.SUPERVISOR)
    assert plain.status_code == 409 and plain.json()["type"].endswith("/not-humanitarian")
