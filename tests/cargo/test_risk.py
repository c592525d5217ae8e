import json

import pytest
from pydantic import ValidationError

from borderpost.cargo.risk import (
    CapacityState,
    DeclarationFacts,
    DeclarationItemFacts,
    Lane,
    RiskProfile,
    assess_risk,
    draw_from_seed,
    load_default_profile,
    selection_seed,
)

PROFILE = load_default_profile()


def no_random(profile: RiskProfile = PROFILE) -> RiskProfile:
    return profile.model_copy(update={"random_selections": []})


def facts(*items, **kw) -> DeclarationFacts:
    base = dict(
        regime="import",
        origin_country="SYR",
        destination_country="IRQ",
        items=tuple(items) or (DeclarationItemFacts("252329", 30_000, 2_400, "USD"),),
        exporter="Albu Kamal Cement Co",
        importer="Anbar Building Supplies",
    )
    base.update(kw)
    return DeclarationFacts(**base)


def rule_ids(decision):
    return {r.rule_id for r in decision.reasons}


def test_default_profile_loads_and_a_clean_declaration_is_green():
    decision = assess_risk(facts(), no_random(), seed=1)
    assert decision.lane is Lane.GREEN
    assert decision.reasons == ()


@pytest.mark.parametrize(("code", "rule"), [("930190", "arms-ch93"), ("360200", "explosives-ch36")])
def test_arms_and_explosives_go_red(code, rule):
    item = DeclarationItemFacts(code, 500, 100_000, "USD")
    decision = assess_risk(facts(item), no_random(), seed=1)
    assert decision.lane is Lane.RED
    assert rule in rule_ids(decision)


@pytest.mark.parametrize("flag", ["driver_watchlist_match", "party_watchlist_match"])
def test_watchlist_matches_go_red(flag):
    decision = assess_risk(facts(**{flag: True}), no_random(), seed=1)
    assert decision.lane is Lane.RED
    assert rule_ids(decision) == {flag.replace("_match", "").replace("_", "-")}


def test_first_time_trader_goes_yellow():
    decision = assess_risk(facts(first_time_trader=True), no_random(), seed=1)
    assert decision.lane is Lane.YELLOW
    assert rule_ids(decision) == {"first-time-trader"}


def test_value_per_kg_far_below_reference_goes_yellow_and_somewhat_below_blue():
    # Cars: reference 11 USD/kg for 8703. 1,500 kg at 2,000 USD is 1.3 USD/kg (< 25%).
    cheap = assess_risk(
        facts(DeclarationItemFacts("870323", 1500, 2000, "USD")), no_random(), seed=1
    )
    assert cheap.lane is Lane.YELLOW
    assert {"value-far-below-reference", "value-below-reference"} <= rule_ids(cheap)
    # 6 USD/kg: between 25% and 50% of the reference.
    low = assess_risk(facts(DeclarationItemFacts("870323", 1500, 6000, "USD")), no_random(), seed=1)
    assert low.lane is Lane.BLUE
    fair = assess_risk(
        facts(DeclarationItemFacts("870323", 1500, 18000, "USD")), no_random(), seed=1
    )
    assert fair.lane is Lane.GREEN


def test_value_rule_converts_currencies_and_skips_unknown_ones():
    # 18,000 USD worth of car in Iraqi dinars (1,310 IQD per USD): not undervalued.
    item = DeclarationItemFacts("870323", 1500, 23_580_000, "IQD")
    assert assess_risk(facts(item), no_random(), seed=1).lane is Lane.GREEN
    # The same figure read as US dollars would be far above; as Syrian pounds far below.
    cheap = DeclarationItemFacts("870323", 1500, 23_580_000, "SYP")
    assert assess_risk(facts(cheap), no_random(), seed=1).lane is Lane.YELLOW
    unknown = DeclarationItemFacts("870323", 1500, 1, "XAU")
    assert assess_risk(facts(unknown), no_random(), seed=1).lane is Lane.GREEN


def test_highest_lane_wins_and_all_reasons_are_kept():
    decision = assess_risk(
        facts(
            DeclarationItemFacts("870323", 1500, 100, "USD"),
            DeclarationItemFacts("930190", 20, 50_000, "USD"),
            first_time_trader=True,
        ),
        no_random(),
        seed=1,
    )
    assert decision.lane is Lane.RED
    assert {"arms-ch93", "first-time-trader", "value-far-below-reference"} <= rule_ids(decision)
    assert decision.reasons[0].lane is Lane.RED  # highest first
    assert "item 2" in next(r.message for r in decision.reasons if r.rule_id == "arms-ch93")


def test_transit_rule_combines_conditions():
    tobacco = DeclarationItemFacts("240220", 10_000, 400_000, "USD")
    transit = assess_risk(facts(tobacco, regime="transit"), no_random(), seed=1)
    assert "transit-tobacco" in rule_ids(transit)
    imported = assess_risk(facts(tobacco, regime="import"), no_random(), seed=1)
    assert "transit-tobacco" not in rule_ids(imported)


def test_profile_rules_are_data_origin_and_prefix_conditions():
    data = PROFILE.model_dump(mode="json")
    data["random_selections"] = []
    data["rules"] = [
        {
            "id": "origin",
            "condition": {"kind": "origin_country", "countries": ["AFG"]},
            "lane": "yellow",
            "reason": "origin of concern",
        },
        {
            "id": "fertiliser",
            "condition": {"kind": "hs_prefix", "prefixes": ["3102"]},
            "lane": "blue",
            "reason": "fertiliser",
        },
        {
            "id": "off",
            "condition": {"kind": "destination_country", "countries": ["IRQ"]},
            "lane": "red",
            "reason": "disabled",
            "enabled": False,
        },
    ]
    profile = RiskProfile.model_validate_json(json.dumps(data))
    assert assess_risk(facts(origin_country="AFG"), profile, seed=1).lane is Lane.YELLOW
    item = DeclarationItemFacts("310230", 20_000, 8_000, "USD")
    assert assess_risk(facts(item), profile, seed=1).lane is Lane.BLUE
    assert assess_risk(facts(), profile, seed=1).lane is Lane.GREEN


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["rules"].append(dict(d["rules"][0])),  # duplicate id
        lambda d: d["rules"][0].update(lane="green"),
        lambda d: d["rules"][0]["condition"].update(kind="moon_phase"),
        lambda d: d["rules"][0]["condition"].update(chapters=["9"]),
        lambda d: d["random_selections"][0].update(rate=1.5),
        lambda d: d.update(surprise=True),
    ],
)
def test_invalid_profiles_are_refused(change):
    data = PROFILE.model_dump(mode="json")
    change(data)
    with pytest.raises(ValidationError):
        RiskProfile.model_validate(data)


def test_random_selection_is_reproducible_from_the_seed():
    seed = selection_seed("IQ-QAIM-2025-000123", b"secret")
    assert seed == selection_seed("IQ-QAIM-2025-000123", b"secret")
    assert seed != selection_seed("IQ-QAIM-2025-000123", b"other secret")
    first = assess_risk(facts(), PROFILE, seed=seed)
    again = assess_risk(facts(), PROFILE, seed=seed)
    assert first == again
    assert first.random_draw == draw_from_seed(seed)
    assert 0 <= first.random_draw < 1


def test_random_selection_bands():
    # Find seeds whose draws fall in each band: red [0, .02), yellow [.02, .07), blue [.07, .10).
    lanes = {}
    for seed in range(5000):
        draw = draw_from_seed(seed)
        lane = assess_risk(facts(), PROFILE, seed=seed).lane
        expected = (
            Lane.RED
            if draw < 0.02
            else Lane.YELLOW
            if draw < 0.07
            else Lane.BLUE
            if draw < 0.10
            else Lane.GREEN
        )
        assert lane is expected
        lanes[lane] = lanes.get(lane, 0) + 1
    # Loose bounds (binomial, n=5000): red 2%, yellow 5%, blue 3%.
    assert 60 <= lanes[Lane.RED] <= 145
    assert 180 <= lanes[Lane.YELLOW] <= 320
    assert 100 <= lanes[Lane.BLUE] <= 205


def test_capacity_suppresses_random_selection_but_never_rule_hits():
    red_seed = next(s for s in range(10_000) if draw_from_seed(s) < 0.02)
    busy = CapacityState(recent_counts={Lane.RED: 30, Lane.GREEN: 70})  # 30% > 15% capacity
    quiet = CapacityState(recent_counts={Lane.RED: 5, Lane.GREEN: 95})
    assert assess_risk(facts(), PROFILE, seed=red_seed, capacity=quiet).lane is Lane.RED
    suppressed = assess_risk(facts(), PROFILE, seed=red_seed, capacity=busy)
    assert suppressed.lane is Lane.GREEN
    assert [r.rule_id for r in suppressed.suppressed] == ["random-red"]
    arms = DeclarationItemFacts("930190", 500, 100_000, "USD")
    hit = assess_risk(facts(arms), PROFILE, seed=red_seed, capacity=busy)
    assert hit.lane is Lane.RED
    assert "arms-ch93" in rule_ids(hit)
    # A scanner down today: capacity override for red at 0 suppresses even when quiet.
    down = CapacityState(recent_counts={Lane.GREEN: 10}, capacity_share={Lane.RED: 0.0})
    assert assess_risk(facts(), PROFILE, seed=red_seed, capacity=down).lane is Lane.GREEN
    assert assess_risk(
        facts(first_time_trader=True), PROFILE, seed=red_seed, capacity=down
    ).lane is (Lane.YELLOW)


def test_capacity_leaves_lanes_without_a_limit_alone():
    blue_seed = next(s for s in range(10_000) if 0.07 <= draw_from_seed(s) < 0.10)
    busy = CapacityState(recent_counts={Lane.BLUE: 90, Lane.GREEN: 10})
    assert assess_risk(facts(), PROFILE, seed=blue_seed, capacity=busy).lane is Lane.BLUE
