"""The clearance rules without a database: tariff, assessment, permits, payments, release."""

from __future__ import annotations

from decimal import Decimal

import pytest

from borderpost.clearance import tariff
from borderpost.clearance.rules import (
    ClearanceViolation,
    ItemFacts,
    PaymentMethod,
    PermitHeading,
    Rate,
    amendment_penalty,
    assess,
    check_clearance,
    check_handover,
    check_payment,
    longest_prefix,
    parse_tariff_csv,
    permits_missing,
)

D = Decimal
RATES = {r.hs_prefix: r for r in [Rate("25", D(5)), Rate("2523", D(15)), Rate("93", D(30))]}
FX = {"IQD": D(1), "USD": D(1310), "SYP": D("0.1007")}
FEES = {"import": D(25000), "export": D(10000), "transit": D(50000), "empty": D(5000)}
CEMENT = ItemFacts(1, "252329", D(2400), "USD")
SALT = ItemFacts(2, "250100", D(1000), "IQD")


def _assess(regime: str, items=(CEMENT, SALT), payments=()):
    return assess(regime=regime, items=list(items), rates=RATES, iqd_per_unit=FX,
                  fees_by_regime=FEES, payments=list(payments))  # fmt: skip


def test_the_longest_prefix_wins():
    assert longest_prefix("252329", RATES).duty_percent == 15
    assert longest_prefix("250100", RATES).duty_percent == 5
    assert longest_prefix("100630", RATES) is None


def test_an_import_owes_duty_on_the_converted_value_and_the_fees():
    a = _assess("import")
    cement, salt = a.lines
    assert (cement.customs_value, cement.duty_percent, cement.duty) == (D(3144000), 15, D(471600))
    assert (salt.customs_value, salt.duty_percent, salt.duty) == (D(1000), 5, D(50))
    assert a.duties == D(471650) and a.fees == 25000 and a.total == D(496650)
    assert a.due == a.total and a.currency == "IQD"


def test_payments_reduce_what_is_due_and_guarantees_do_not_pay():
    a = _assess("import", payments=[("cash", D(400000)), ("guarantee", D(96650))])
    assert a.paid == 400000 and a.due == D(96650) and a.guaranteed == D(96650)


def test_export_and_empty_owe_fees_only_transit_secures_duties_with_a_guarantee():
    export = _assess("export")
    assert export.duties == 0 and export.total == 10000
    empty = _assess("empty", items=())
    assert empty.lines == () and empty.total == 5000
    transit = _assess("transit")
    assert transit.total == 50000 and transit.guarantee_required == D(471650)
    with pytest.raises(ClearanceViolation) as refused:
        check_clearance(_assess("transit", payments=[("cash", D(50000))]), [])
    assert refused.value.code == "payment-required" and "guarantee" in refused.value.message
    check_clearance(_assess("transit", payments=[("cash", D(50000)), ("guarantee", D(471650))]), [])


def test_values_are_rounded_to_whole_dinars_half_up():
    a = _assess("import", items=[ItemFacts(1, "250100", D(15), "SYP")])  # 1.5105 IQD
    assert a.lines[0].customs_value == D(2) and a.lines[0].duty == D(0)


def test_a_currency_without_a_rate_is_refused():
    with pytest.raises(ClearanceViolation) as refused:
        _assess("import", items=[ItemFacts(1, "250100", D(1), "XAU")])
    assert refused.value.code == "no-exchange-rate"


def test_release_needs_nothing_due_and_permits_for_every_item_that_needs_one():
    headings = {"93": PermitHeading("93", "arms-licence", "Ministry of Interior")}
    items = [(1, "252329"), (2, "930200"), (3, "930630")]
    assert [n.item_index for n in permits_missing(items, headings, [])] == [2, 3]
    assert [n.item_index for n in permits_missing(items, headings, [[2]])] == [3]
    assert permits_missing(items, headings, [[2], [3]]) == []
    assert permits_missing(items, headings, [None]) == []  # a permit for the whole declaration
    needs = permits_missing(items, headings, [[2]])
    with pytest.raises(ClearanceViolation) as refused:
        check_clearance(_assess("import", payments=[("bank", D(496650))]), needs)
    assert refused.value.code == "permit-required"
    assert "Ministry of Interior" in refused.value.message
    with pytest.raises(ClearanceViolation) as unpaid:
        check_clearance(_assess("import", payments=[("bank", D(1))]), [])
    assert unpaid.value.code == "payment-required"
    check_clearance(_assess("import", payments=[("bank", D(496650))]), [])


def test_a_receipt_pays_at_most_what_is_due_and_guarantees_are_for_transit():
    a = _assess("import")
    check_payment(a, method=PaymentMethod.CASH, amount=a.due)
    with pytest.raises(ClearanceViolation, match="more than is due"):
        check_payment(a, method=PaymentMethod.CASH, amount=a.due + 1)
    with pytest.raises(ClearanceViolation) as guarantee:
        check_payment(a, method=PaymentMethod.GUARANTEE, amount=D(1))
    assert guarantee.value.code == "guarantee-not-accepted"
    paid = _assess("import", payments=[("cash", a.due)])
    with pytest.raises(ClearanceViolation) as nothing:
        check_payment(paid, method=PaymentMethod.CASH, amount=D(1))
    assert nothing.value.code == "nothing-due"


def test_tariff_csv_rows_are_checked_one_by_one():
    parsed = parse_tariff_csv(
        "# comment\nhs_prefix,duty_percent,description\n2523,15,Cement\n25.01,5%,Salt\n"
        "x1,3,bad\n30,abc,bad\n31,-1,bad\n32,1.0001,bad\n2523,20,again\n"
    )
    assert [(r.hs_prefix, r.duty_percent) for r in parsed.rates] == [("2523", 15), ("2501", 5)]
    assert [n for n, _ in parsed.rejected] == [5, 6, 7, 8, 9]
    assert parse_tariff_csv("code,rate\n25,1\n").rejected[0][0] == 1


def test_the_shipped_data_is_complete_for_the_demo():
    from borderpost.demo.cargo_goods import COMMODITIES, CURRENCIES

    rates = {r.hs_prefix: r for r in tariff.shipped_tariff()}
    assert all(longest_prefix(hs_code, rates) is not None for _, _, hs_code, *_ in COMMODITIES)
    fx = tariff.exchange_rates(tariff.SHIPPED_FROM.replace(year=2025))
    assert {c for c, _ in CURRENCIES} <= set(fx) and fx["USD"] == 1310
    assert tariff.permit_headings()["93"].issued_by == "Ministry of Interior"
    assert set(tariff.fees().by_regime) == {"import", "export", "transit", "empty"}


def test_a_case_is_handed_over_once():
    assert check_handover("open") and not check_handover("handed_over")


def test_the_amendment_penalty_is_a_share_of_the_extra_duty_with_a_minimum():
    kw = {"percent": D(100), "minimum": D(50000)}
    assert amendment_penalty(D(100), D(90), **kw) == 0
    assert amendment_penalty(D(100), D(1100), **kw) == 50000
    assert amendment_penalty(D(100), D(300100), **kw) == 300000
