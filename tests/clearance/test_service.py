"""Clearance use cases on both engines: the rate of the declaration's day, audit, cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from borderpost.audit import service as audit
from borderpost.audit.models import AuditRecord
from borderpost.auth.service import SYSTEM
from borderpost.cargo import service as cargo
from borderpost.cargo.lanes import InspectionKind, InspectionResult
from borderpost.cargo.schemas import TruckArrival
from borderpost.clearance import cases, service, tariff
from borderpost.clearance.rules import PaymentMethod
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.errors import DomainError
from tests.cargo.factories import arrival
from tests.cargo.test_service import new_crossing

T0 = datetime(2025, 6, 14, 8, 0, tzinfo=UTC)
SECRET = b"clearance-test"


def arrive(db: Database, code: str, at: datetime) -> str:
    with db.transaction() as s:
        crossing = crossings.get_crossing(s, code)
        body = TruckArrival.model_validate(arrival())
        return cargo.register_truck(
            s, crossing=crossing, arrival=body, secret=SECRET, actor=SYSTEM, at=at
        ).id


def test_a_declaration_is_assessed_at_the_tariff_of_its_day(fresh_database: Database):
    db = fresh_database
    code = new_crossing(db)
    before = arrive(db, code, T0)
    with db.transaction() as s:
        result = tariff.import_tariff(
            s, data=b"hs_prefix,duty_percent\n2523,20\n", valid_from=date(2025, 6, 20),
            actor=SYSTEM, at=T0,
        )  # fmt: skip
        assert not result.rejected
    after = arrive(db, code, T0 + timedelta(days=7))
    with db.transaction() as s:
        old = service.assessment_of(s, cargo.get_truck(s, before))
        new = service.assessment_of(s, cargo.get_truck(s, after))
        assert old.lines[0].duty_percent == 15  # the shipped tariff, kept for the earlier days
        assert new.lines[0].duty_percent == 20
        assert [r.duty_percent for r in tariff.tariff_in_force(s, date(2025, 6, 20))] == [20]
        # A second import ends the first; the first's days keep its rates.
        tariff.import_tariff(
            s, data=b"hs_prefix,duty_percent\n25,1\n", valid_from=date(2025, 7, 1),
            actor=SYSTEM, at=T0,
        )  # fmt: skip
        assert service.assessment_of(s, cargo.get_truck(s, after)).lines[0].duty_percent == 20
        assert [r.hs_prefix for r in tariff.tariff_in_force(s, date(2025, 7, 1))] == ["25"]
    with db.transaction() as s:  # PostgreSQL appends audit records at commit
        actions = [r.action for r in s.query(AuditRecord).filter_by(action="tariff.import")]
        assert len(actions) == 2


def test_payments_and_release_are_audited_and_a_refusal_records_nothing(
    fresh_database: Database,
):
    db = fresh_database
    code = new_crossing(db)
    tid = arrive(db, code, T0)
    with db.transaction() as s:
        cargo.record_inspection(
            s, truck_id=tid, kind=InspectionKind.PHYSICAL, result=InspectionResult.CLEARED,
            findings=None, actor=SYSTEM, at=T0 + timedelta(minutes=5),
        )  # fmt: skip
    with db.transaction() as s:
        count = s.query(AuditRecord).count()
    with pytest.raises(DomainError) as refused, db.transaction() as s:
        cargo.release_truck(s, truck_id=tid, actor=SYSTEM, at=T0 + timedelta(minutes=6))
    assert refused.value.slug == "payment-required"
    with db.transaction() as s:
        assert s.query(AuditRecord).count() == count
        due = service.assessment_of(s, cargo.get_truck(s, tid)).due
        service.record_payment(
            s, truck_id=tid, receipt_number="R-1", amount=due, currency="IQD",
            method=PaymentMethod.BANK, guarantee_ref=None, actor=SYSTEM, at=T0,
        )  # fmt: skip
        cargo.release_truck(s, truck_id=tid, actor=SYSTEM, at=T0 + timedelta(minutes=7))
    with db.transaction() as s:
        records = s.query(AuditRecord).filter(AuditRecord.subject_id == tid).all()
        payment = next(r for r in records if r.action == "truck.payment")
        assert payment.after["receipt_number"] == "R-1"
        assert Decimal(payment.before["due"]) == due
        assert audit.verify(s).ok


def test_a_seizure_opens_one_case_and_later_findings_join_it(fresh_database: Database):
    db = fresh_database
    code = new_crossing(db)
    tid = arrive(db, code, T0)
    with db.transaction() as s:
        for findings in ("Pills behind the bags.", "More in the spare tyre."):
            cargo.record_inspection(
                s, truck_id=tid, kind=InspectionKind.PHYSICAL, result=InspectionResult.SEIZURE,
                findings=findings, actor=SYSTEM, at=T0 + timedelta(minutes=5),
            )  # fmt: skip
        case = cases.case_of(s, cargo.get_truck(s, tid))
        assert case is not None and case.state == "open"
        assert case.findings == "Pills behind the bags.\nMore in the spare tyre."
    with db.transaction() as s:
        opened = s.query(AuditRecord).filter_by(action="case.open", subject_id=case.id).count()
        assert opened == 1
