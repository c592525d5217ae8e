"""Clearance use cases: the assessment of a truck's declaration, payments, permits, release.

The assessment is computed from the declaration, the tariff and the exchange rates of the day the
truck arrived (both kept with their effective dates, so it reads the same later) and the payments
recorded. Payments and permits lock the truck's row, as release does, so a release never slips
between a payment's check and its write.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from borderpost import errors
from borderpost.audit import service as audit
from borderpost.auth.service import Actor
from borderpost.cargo.lanes import TruckState
from borderpost.cargo.models import DeclarationItem, TruckVisit
from borderpost.cargo.records import from_thousandths, get_truck, items_of, to_thousandths
from borderpost.clearance import tariff
from borderpost.clearance.models import Amendment, GoodsPermit, Payment
from borderpost.clearance.rules import (
    Assessment,
    ClearanceViolation,
    ItemFacts,
    PaymentMethod,
    PermitNeed,
    assess,
    check_clearance,
    check_payment,
    permits_missing,
)
from borderpost.db import utcnow
from borderpost.transit import service as transit

_TITLES = {
    "payment-required": "Payment required",
    "permit-required": "Permit required",
    "overpayment": "More than is due",
    "nothing-due": "Nothing due",
    "guarantee-not-accepted": "Guarantee not accepted",
    "no-exchange-rate": "No exchange rate",
    "receipt-used": "Receipt already used",
    "no-discrepancy": "No discrepancy to amend",
}


def conflict(exc: ClearanceViolation) -> errors.DomainError:
    return errors.conflict(
        exc.code, exc.message[:1].upper() + exc.message[1:] + ".", _TITLES.get(exc.code, "")
    )


def payments_of(db: Session, truck: TruckVisit) -> list[Payment]:
    query = select(Payment).where(Payment.truck_visit_id == truck.id)
    return list(db.scalars(query.order_by(Payment.recorded_at, Payment.id)))


def permits_of(db: Session, truck: TruckVisit) -> list[GoodsPermit]:
    query = select(GoodsPermit).where(GoodsPermit.truck_visit_id == truck.id)
    return list(db.scalars(query.order_by(GoodsPermit.recorded_at, GoodsPermit.id)))


def penalties_of(db: Session, truck: TruckVisit) -> Decimal:
    """Penalties of the declaration's amendments (amendment.py records them)."""
    total = db.scalar(
        select(func.coalesce(func.sum(Amendment.penalty_thousandths), 0)).where(
            Amendment.truck_visit_id == truck.id
        )
    )
    return from_thousandths(int(total or 0))


def _left(value: Decimal, gross_grams: int, moved_kg: Decimal | None) -> Decimal:
    """The value still on the truck: the declared value in proportion to the mass left."""
    if not moved_kg:
        return value
    left = max(from_thousandths(gross_grams) - moved_kg, Decimal(0))
    return (value * left / from_thousandths(gross_grams)).quantize(Decimal("0.001"))


def assessment_of(
    db: Session, truck: TruckVisit, *, items: list[DeclarationItem] | None = None
) -> Assessment:
    """The truck's assessment now; `items`, when the caller has read them already."""
    return _assess(
        db,
        truck,
        items_of(db, truck) if items is None else items,
        moved=transit.moved_kg(db, truck),  # goods moved to another truck in the transfer zone
        paid=[(p.method, Decimal(p.assessed_thousandths) / 1000) for p in payments_of(db, truck)],
        penalty=penalties_of(db, truck),
    )


def arrival_assessment(db: Session, truck: TruckVisit, items: list[DeclarationItem]) -> Assessment:
    """The assessment of a truck registered in this same transaction: nothing can have been
    paid, amended or moved to another truck yet, so none of those is read."""
    return _assess(db, truck, items, moved={}, paid=[], penalty=Decimal(0))


def _assess(
    db: Session,
    truck: TruckVisit,
    items: list[DeclarationItem],
    *,
    moved: dict[int, Decimal],
    paid: list[tuple[str, Decimal]],
    penalty: Decimal,
) -> Assessment:
    day = truck.arrived_at.date()
    facts = [
        ItemFacts(
            i.line,
            i.hs_code,
            _left(from_thousandths(i.value_thousandths), i.gross_grams, moved.get(i.line)),
            i.currency,
        )
        for i in items
    ]
    try:
        return assess(
            regime=truck.regime,
            items=facts,
            rates=tariff.rates_for(db, [f.hs_code for f in facts], day),
            iqd_per_unit=tariff.exchange_rates(day),
            fees_by_regime=tariff.fees().by_regime,
            payments=paid,
            penalty=penalty,
            tariff_day=day,
        )
    except ClearanceViolation as exc:
        raise conflict(exc) from exc


def missing_permits(
    db: Session,
    truck: TruckVisit,
    *,
    items: list[DeclarationItem] | None = None,
    permits: list[GoodsPermit] | None = None,
) -> list[PermitNeed]:
    """The permits the goods still need; `items` and `permits` when the caller has them (a truck
    registered in this transaction has none)."""
    return permits_missing(
        [(i.line, i.hs_code) for i in (items_of(db, truck) if items is None else items)],
        tariff.permit_headings(),
        [p.item_indexes for p in (permits_of(db, truck) if permits is None else permits)],
    )


def check_release(db: Session, *, truck: TruckVisit) -> Assessment:
    """409 `/permit-required` or `/payment-required` unless the declaration is cleared for
    release; called by cargo's release with the truck's row locked."""
    items = items_of(db, truck)
    assessment = assessment_of(db, truck, items=items)
    try:
        check_clearance(assessment, missing_permits(db, truck, items=items))
    except ClearanceViolation as exc:
        raise conflict(exc) from exc
    return assessment


def _open_for_clearance(truck: TruckVisit) -> None:
    if truck.state == TruckState.RELEASED:
        raise errors.conflict("already-released", "The truck has already been released.")


def record_payment(
    db: Session,
    *,
    truck_id: str,
    receipt_number: str,
    amount: Decimal,
    currency: str,
    method: PaymentMethod,
    guarantee_ref: str | None,
    actor: Actor,
    at: datetime | None = None,
) -> Payment:
    """Record a receipt (or a transit's guarantee). A receipt number is used once only."""
    at = at or utcnow()
    truck = get_truck(db, truck_id, for_update=True)
    _open_for_clearance(truck)
    if method is PaymentMethod.GUARANTEE and not guarantee_ref:
        raise errors.invalid("guarantee_ref", "is required for a guarantee")
    rate = tariff.exchange_rates(at.date()).get(currency)
    if rate is None:
        raise errors.invalid("currency", f"there is no exchange rate for {currency}")
    assessed = (amount * rate).quantize(Decimal("0.001"))
    return _pay(
        db, truck=truck, receipt_number=receipt_number, amount=amount, currency=currency,
        assessed=assessed, method=method, guarantee_ref=guarantee_ref,
        before=assessment_of(db, truck), actor=actor, at=at,
    )  # fmt: skip


def _pay(
    db: Session,
    *,
    truck: TruckVisit,
    receipt_number: str,
    amount: Decimal,
    currency: str,
    assessed: Decimal,
    method: PaymentMethod,
    guarantee_ref: str | None,
    before: Assessment,
    actor: Actor,
    at: datetime,
) -> Payment:
    """Record a payment checked against `before`, the truck's assessment just before it."""
    try:
        check_payment(before, method=method, amount=assessed)
    except ClearanceViolation as exc:
        raise conflict(exc) from exc
    payment = Payment(
        truck_visit_id=truck.id,
        receipt_number=receipt_number,
        method=method.value,
        amount_thousandths=to_thousandths(amount),
        currency=currency,
        assessed_thousandths=to_thousandths(assessed),
        guarantee_ref=guarantee_ref,
        recorded_at=at,
        recorded_by=actor.label,
    )
    try:
        # A savepoint: the constraint's refusal must not end the request's transaction.
        with db.begin_nested():
            db.add(payment)
            db.flush()
    except IntegrityError as exc:
        raise errors.conflict(
            "receipt-used",
            f"Receipt {receipt_number} has already been recorded.",
            _TITLES["receipt-used"],
        ) from exc
    audit.record(
        db,
        actor=actor.label,
        action="truck.payment",
        subject_type="truck_visit",
        subject_id=truck.id,
        before={"due": str(before.due), "guaranteed": str(before.guaranteed)},
        after={
            "payment_id": payment.id,
            "receipt_number": receipt_number,
            "method": payment.method,
            "amount": str(amount),
            "currency": currency,
            "assessed": str(assessed),
            "guarantee_ref": guarantee_ref,
        },
    )
    return payment


def record_permit(
    db: Session,
    *,
    truck_id: str,
    kind: str,
    number: str,
    issued_by: str,
    item_indexes: list[int] | None,
    actor: Actor,
    at: datetime | None = None,
) -> GoodsPermit:
    at = at or utcnow()
    truck = get_truck(db, truck_id, for_update=True)
    _open_for_clearance(truck)
    lines = {i.line for i in items_of(db, truck)}
    if item_indexes is not None:
        for n, index in enumerate(item_indexes):
            if index not in lines:
                raise errors.invalid(f"item_indexes[{n}]", f"the declaration has no item {index}")
    permit = GoodsPermit(
        truck_visit_id=truck.id,
        kind=kind,
        number=number,
        issued_by=issued_by,
        item_indexes=sorted(set(item_indexes)) if item_indexes is not None else None,
        recorded_at=at,
        recorded_by=actor.label,
    )
    db.add(permit)
    db.flush()
    audit.record(
        db,
        actor=actor.label,
        action="truck.permit",
        subject_type="truck_visit",
        subject_id=truck.id,
        after={
            "permit_id": permit.id,
            "kind": kind,
            "number": number,
            "issued_by": issued_by,
            "item_indexes": permit.item_indexes,
        },
    )
    return permit


def settle(db: Session, *, truck_id: str, receipt_prefix: str, actor: Actor, at: datetime) -> None:
    """Pay what is due in IQD (a guarantee for a transit's duties) and present the permits the
    goods need: how the demo's traders clear their trucks. The items and the assessment are read
    once (permits do not change what is due); a payment after the guarantee is checked against
    the assessment read again."""
    truck = get_truck(db, truck_id, for_update=True)
    items = items_of(db, truck)
    for n, need in enumerate(missing_permits(db, truck, items=items)):
        record_permit(
            db, truck_id=truck_id, kind=need.heading.kind, number=f"{receipt_prefix}-P{n}",
            issued_by=need.heading.issued_by, item_indexes=[need.item_index], actor=actor, at=at,
        )  # fmt: skip
    assessment = before = assessment_of(db, truck, items=items)

    def pay(suffix: str, amount: Decimal, method: PaymentMethod, ref: str | None) -> None:
        _open_for_clearance(truck)
        rate = tariff.exchange_rates(at.date())["IQD"]
        _pay(
            db, truck=truck, receipt_number=f"{receipt_prefix}-{suffix}", amount=amount,
            currency="IQD", assessed=(amount * rate).quantize(Decimal("0.001")), method=method,
            guarantee_ref=ref, before=before, actor=actor, at=at,
        )  # fmt: skip

    if assessment.guarantee_required > assessment.guaranteed:
        amount = assessment.guarantee_required - assessment.guaranteed
        pay("G", amount, PaymentMethod.GUARANTEE, f"{receipt_prefix}-GREF")
        before = assessment_of(db, truck, items=items)
    if assessment.due > 0:
        pay("R", assessment.due, PaymentMethod.ELECTRONIC, None)
