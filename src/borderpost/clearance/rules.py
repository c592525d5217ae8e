"""Clearance rules, pure: the tariff's longest prefix, the assessment, permits needed, release.

Amounts are Decimals in the assessment currency (IQD); customs values and duties are rounded to
whole dinars (half up), as a receipt is written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

ASSESSMENT_CURRENCY = "IQD"
HUNDRED = Decimal(100)
T = TypeVar("T")

__all__ = [
    "ASSESSMENT_CURRENCY",
    "Assessment",
    "AssessmentLine",
    "ClearanceViolation",
    "ItemFacts",
    "PaymentMethod",
    "PermitHeading",
    "Rate",
    "assess",
    "check_clearance",
    "check_payment",
    "longest_prefix",
    "parse_tariff_csv",
    "permits_missing",
]


class PaymentMethod(StrEnum):
    CASH = "cash"
    BANK = "bank"
    ELECTRONIC = "electronic"
    GUARANTEE = "guarantee"


class ClearanceViolation(Exception):
    """A clearance rule forbids the action now; `code` is the problem slug."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Rate:
    hs_prefix: str
    duty_percent: Decimal
    description: str = ""


@dataclass(frozen=True, slots=True)
class ItemFacts:
    line: int
    hs_code: str
    value: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class AssessmentLine:
    item_index: int
    hs_code: str
    customs_value: Decimal
    duty_percent: Decimal
    duty: Decimal
    declared_value: Decimal
    declared_currency: str
    exchange_rate: Decimal  # IQD per unit of the declared currency


@dataclass(frozen=True, slots=True)
class Assessment:
    regime: str
    lines: tuple[AssessmentLine, ...]
    duties: Decimal
    fees: Decimal
    penalty: Decimal
    total: Decimal
    paid: Decimal
    due: Decimal
    guarantee_required: Decimal  # transit: the duties a guarantee must secure
    guaranteed: Decimal
    currency: str = ASSESSMENT_CURRENCY
    tariff_day: date | None = None


@dataclass(frozen=True, slots=True)
class PermitHeading:
    hs_prefix: str
    kind: str
    issued_by: str
    issued_by_ar: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PermitNeed:
    item_index: int
    hs_code: str
    heading: PermitHeading


@dataclass(frozen=True, slots=True)
class TariffParse:
    rates: list[Rate] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def whole(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def longest_prefix(code: str, table: Mapping[str, T]) -> T | None:
    """The entry of the longest key that `code` starts with (the tariff's and the permits' rule)."""
    for n in range(len(code), 0, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def parse_tariff_csv(text: str) -> TariffParse:
    """Rows `hs_prefix,duty_percent[,description]`; `#` lines are comments. Each bad row is
    rejected with its line number; a prefix given twice keeps its first row."""
    out = TariffParse()
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)]
    body = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not body:
        out.rejected.append((1, "the file has no header row"))
        return out
    header_no, header = body[0]
    columns = [c.strip().lower() for c in next(csv.reader([header]))]
    if "hs_prefix" not in columns or "duty_percent" not in columns:
        out.rejected.append((header_no, "the header needs the columns hs_prefix and duty_percent"))
        return out
    seen: set[str] = set()
    for n, line in body[1:]:
        row = dict(zip(columns, next(csv.reader([line])), strict=False))
        prefix = (row.get("hs_prefix") or "").strip().replace(".", "")
        if not (prefix.isdigit() and 2 <= len(prefix) <= 10):
            out.rejected.append((n, f"hs_prefix {prefix!r} is not 2 to 10 digits"))
            continue
        try:
            percent = Decimal((row.get("duty_percent") or "").strip().rstrip("%"))
        except InvalidOperation:
            out.rejected.append((n, "duty_percent is not a number"))
            continue
        if not (percent.is_finite() and 0 <= percent <= 1000):
            out.rejected.append((n, "duty_percent is not from 0 to 1000"))
            continue
        if percent != percent.quantize(Decimal("0.001")):
            out.rejected.append((n, "duty_percent has more than three decimals"))
            continue
        if prefix in seen:
            out.rejected.append((n, f"hs_prefix {prefix} is given twice"))
            continue
        seen.add(prefix)
        description = (row.get("description") or "").strip()[:300]
        out.rates.append(Rate(prefix, percent, description))
    return out


def assess(
    *,
    regime: str,
    items: Sequence[ItemFacts],
    rates: Mapping[str, Rate],
    iqd_per_unit: Mapping[str, Decimal],
    fees_by_regime: Mapping[str, Decimal],
    payments: Iterable[tuple[str, Decimal]],
    penalty: Decimal = Decimal(0),
    tariff_day: date | None = None,
) -> Assessment:
    """Duty on each item's customs value (converted to IQD) at its tariff rate, plus the regime's
    fees. An import pays duties and fees; a transit pays fees and secures the duties with a
    guarantee; an export or an empty truck pays fees only (no export duty is levied)."""
    lines = []
    for item in items:
        rate = iqd_per_unit.get(item.currency)
        if rate is None:
            raise ClearanceViolation(
                "no-exchange-rate", f"there is no exchange rate for {item.currency}"
            )
        customs_value = whole(item.value * rate)
        tariff = longest_prefix(item.hs_code, rates)
        percent = tariff.duty_percent if tariff is not None and regime != "export" else Decimal(0)
        lines.append(
            AssessmentLine(
                item_index=item.line,
                hs_code=item.hs_code,
                customs_value=customs_value,
                duty_percent=percent,
                duty=whole(customs_value * percent / HUNDRED),
                declared_value=item.value,
                declared_currency=item.currency,
                exchange_rate=rate,
            )
        )
    duties = sum((line.duty for line in lines), Decimal(0))
    fees = fees_by_regime.get(regime, Decimal(0))
    paid = guaranteed = Decimal(0)
    for method, amount in payments:
        if method == PaymentMethod.GUARANTEE:
            guaranteed += amount
        else:
            paid += amount
    payable_duties = duties if regime == "import" else Decimal(0)
    total = payable_duties + fees + penalty
    return Assessment(
        regime=regime,
        lines=tuple(lines),
        duties=duties,
        fees=fees,
        penalty=penalty,
        total=total,
        paid=paid,
        due=max(total - paid, Decimal(0)),
        guarantee_required=duties if regime == "transit" else Decimal(0),
        guaranteed=guaranteed,
        tariff_day=tariff_day,
    )


def permits_missing(
    items: Sequence[tuple[int, str]],
    headings: Mapping[str, PermitHeading],
    permits: Iterable[list[int] | None],
) -> list[PermitNeed]:
    """The items (line, hs code) whose heading needs a permit that no permit covers; a permit
    with no item list covers every item."""
    covered: set[int] = set()
    for indexes in permits:
        if indexes is None:
            return []
        covered.update(indexes)
    needs = []
    for line, code in items:
        heading = longest_prefix(code, headings)
        if heading is not None and line not in covered:
            needs.append(PermitNeed(line, code, heading))
    return needs


def check_payment(assessment: Assessment, *, method: PaymentMethod, amount: Decimal) -> None:
    """A receipt pays at most what is due; a guarantee is for a transit only."""
    if method is PaymentMethod.GUARANTEE:
        if assessment.regime != "transit":
            raise ClearanceViolation(
                "guarantee-not-accepted", "a guarantee secures the duties of a transit only"
            )
        return
    if assessment.due <= 0:
        raise ClearanceViolation("nothing-due", "nothing is due on this declaration")
    if amount > assessment.due:
        raise ClearanceViolation(
            "overpayment", f"the receipt is for more than is due ({assessment.due} IQD)"
        )


def check_clearance(assessment: Assessment, missing_permits: Sequence[PermitNeed]) -> None:
    """Raise unless the permits and the payments allow release (the controls are cargo's rule)."""
    if missing_permits:
        need = missing_permits[0].heading
        items = ", ".join(str(m.item_index) for m in missing_permits)
        raise ClearanceViolation(
            "permit-required",
            f"item(s) {items} need a permit ({need.kind}, issued by {need.issued_by}: "
            f"{need.reason})",
        )
    if assessment.due > 0:
        raise ClearanceViolation(
            "payment-required", f"{assessment.due} {assessment.currency} is still due"
        )
    if assessment.guaranteed < assessment.guarantee_required:
        raise ClearanceViolation(
            "payment-required",
            f"a transit needs a guarantee of {assessment.guarantee_required} "
            f"{assessment.currency} (recorded: {assessment.guaranteed})",
        )


class CaseState(StrEnum):
    OPEN = "open"
    HANDED_OVER = "handed_over"


def check_handover(state: str) -> bool:
    """A case is handed over once, from `open`."""
    return CaseState(state) is CaseState.OPEN


def amendment_penalty(
    duties_before: Decimal, duties_after: Decimal, *, percent: Decimal, minimum: Decimal
) -> Decimal:
    """The penalty for a declaration corrected upwards: `percent` of the extra duty, at least
    `minimum`; none when the correction does not raise the duty."""
    extra = duties_after - duties_before
    if extra <= 0:
        return Decimal(0)
    return max(whole(extra * percent / HUNDRED), minimum)


def check_amendment(state: str, inspection_results: Sequence[str]) -> None:
    """A declaration is amended after a discrepancy was found, before release or detention."""
    if state in ("released", "detained"):
        raise ClearanceViolation("invalid-transition", f"a {state} truck's declaration is final")
    if "discrepancy" not in inspection_results:
        raise ClearanceViolation(
            "no-discrepancy",
            "a declaration is amended only after an inspection found a discrepancy",
        )
