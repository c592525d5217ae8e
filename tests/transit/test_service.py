"""Transit on both engines: opened once, discharged once, overdue listed, audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from borderpost.audit.models import AuditRecord
from borderpost.auth.service import SYSTEM
from borderpost.cargo import service as cargo
from borderpost.cargo.schemas import TruckArrival
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.errors import DomainError
from borderpost.transit import service
from tests.cargo.factories import arrival
from tests.cargo.test_service import new_crossing

T0 = datetime(2025, 6, 14, 8, 0, tzinfo=UTC)


def arrive(db: Database, code: str, **kw) -> str:
    with db.transaction() as s:
        return cargo.register_truck(
            s, crossing=crossings.get_crossing(s, code),
            arrival=TruckArrival.model_validate(arrival(**kw)), secret=b"t", actor=SYSTEM, at=T0,
        ).id  # fmt: skip


def open_(db: Database, tid: str, hours: int = 48) -> str:
    with db.transaction() as s:
        return service.open_transit(
            s, truck_id=tid, seals=["SY-0001", "SY-0002"], guarantee_ref="TIR-XA123",
            office_of_destination="JO-KARAMA", time_limit_hours=hours, actor=SYSTEM, at=T0,
        ).id  # fmt: skip


def test_a_transit_is_opened_once_discharged_once_and_overdue_until_then(
    fresh_database: Database,
):
    db = fresh_database
    code = new_crossing(db)
    transit_truck = arrive(db, code, regime="transit", destination_country="JOR")
    late_truck = arrive(db, code, regime="transit", destination_country="JOR")
    import_truck = arrive(db, code)
    on_time = open_(db, transit_truck, hours=48)
    late = open_(db, late_truck, hours=24)
    with pytest.raises(DomainError) as twice, db.transaction() as s:
        service.open_transit(
            s, truck_id=transit_truck, seals=["X"], guarantee_ref="G", office_of_destination="D",
            time_limit_hours=1, actor=SYSTEM, at=T0,
        )  # fmt: skip
    assert twice.value.slug == "transit-exists"
    with pytest.raises(DomainError) as not_transit, db.transaction() as s:
        service.open_transit(
            s, truck_id=import_truck, seals=["X"], guarantee_ref="G", office_of_destination="D",
            time_limit_hours=1, actor=SYSTEM, at=T0,
        )  # fmt: skip
    assert not_transit.value.slug == "not-transit"

    with db.transaction() as s:
        crossing = crossings.get_crossing(s, code)
        at_30h = [
            m.id
            for m, _ in service.overdue_transits(s, crossing=crossing, now=T0 + timedelta(hours=30))
        ]
        assert at_30h == [late]
        done = service.discharge_transit(
            s, transit_id=on_time, seals_found=["SY-0002", "SY-0001"], note=None, actor=SYSTEM,
            at=T0 + timedelta(hours=20),
        )  # fmt: skip
        assert done.state == "discharged"
        broken = service.discharge_transit(
            s, transit_id=late, seals_found=["SY-0001"], note="Seal SY-0002 missing",
            actor=SYSTEM, at=T0 + timedelta(hours=31),
        )  # fmt: skip
        assert broken.state == "discharged_with_discrepancy"
        assert service.overdue_transits(s, crossing=crossing, now=T0 + timedelta(days=9)) == []
    with pytest.raises(DomainError) as again, db.transaction() as s:
        service.discharge_transit(
            s,
            transit_id=on_time,
            seals_found=[],
            note=None,
            actor=SYSTEM,
            at=T0 + timedelta(days=1),
        )
    assert again.value.slug == "already-discharged"
    with db.transaction() as s:
        actions = [
            r.action for r in s.query(AuditRecord).filter(AuditRecord.action.like("transit.%"))
        ]
        assert sorted(actions) == ["transit.discharge"] * 2 + ["transit.open"] * 2
