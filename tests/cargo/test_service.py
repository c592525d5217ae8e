"""Cargo use cases at the service level: history loaded with `at`, the queue learning from it,
statistics as SQL aggregates, reproducible lanes, the audit trail."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from borderpost.audit import service as audit
from borderpost.audit.models import AuditRecord
from borderpost.auth.service import SYSTEM
from borderpost.cargo import service
from borderpost.cargo.lanes import InspectionKind, InspectionResult, Lane
from borderpost.cargo.profile import profile_version
from borderpost.cargo.records import items_of
from borderpost.cargo.risk import (
    CapacityState,
    DeclarationFacts,
    DeclarationItemFacts,
    assess_risk,
    draw_from_seed,
    selection_seed,
)
from borderpost.cargo.schemas import TruckArrival
from borderpost.clearance import service as clearance
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.errors import DomainError
from borderpost.report.cargo_statistics import cargo_statistics
from tests.cargo.factories import arrival, driver_mrz, item
from tests.conftest import unique_code

SECRET = b"service-test-secret"
T0 = datetime(2025, 6, 14, 6, 0, tzinfo=UTC)


def new_crossing(db: Database) -> str:
    code = unique_code()
    with db.transaction() as s:
        crossings.create_crossing(
            s,
            code=code,
            name="Test",
            country="IRQ",
            neighbour_country="SYR",
            counterpart_name="Other",
            timezone="Asia/Baghdad",
            actor=SYSTEM,
            at=T0 - timedelta(days=1),
        )
    return code


def arrive(db: Database, code: str, at: datetime, **kw) -> str:
    with db.transaction() as s:
        truck = service.register_truck(
            s,
            crossing=crossings.get_crossing(s, code),
            arrival=TruckArrival.model_validate(arrival(**kw)),
            secret=SECRET,
            actor=SYSTEM,
            at=at,
        )
        return truck.id


def serve(db: Database, truck_id: str, start: datetime, minutes: float, result="cleared") -> None:
    """Call, inspect physically and release (or detain) at the given times."""
    end = start + timedelta(minutes=minutes)
    with db.transaction() as s:
        service.call_truck(s, truck_id=truck_id, actor=SYSTEM, at=start)
        service.record_inspection(
            s,
            truck_id=truck_id,
            kind=InspectionKind.PHYSICAL,
            result=InspectionResult(result),
            findings=None if result == "cleared" else "found",
            started_at=start,
            actor=SYSTEM,
            at=end,
        )
        if result != "seizure":
            clearance.settle(s, truck_id=truck_id, receipt_prefix=truck_id, actor=SYSTEM, at=end)
            service.release_truck(s, truck_id=truck_id, actor=SYSTEM, at=end)


def test_statistics_count_trucks_chapters_masses_and_currencies(fresh_database: Database):
    db = fresh_database
    code = new_crossing(db)
    steel = item(hs_code="721420", description="Rebar", gross_kg="12000.5", value=7000)
    fuel = item(hs_code="271019", description="Diesel", unit="l", gross_kg=20000,
                value=15000000, currency="IQD")  # fmt: skip
    a = arrive(db, code, T0, items=[item(), steel])
    b = arrive(db, code, T0 + timedelta(hours=1), items=[fuel])
    c = arrive(
        db, code, T0 + timedelta(hours=2), direction="outbound", regime="export",
        origin_country="IRQ", destination_country="SYR", items=[steel],
    )  # fmt: skip
    arrive(db, code, T0 + timedelta(days=3), items=[fuel])  # outside the period
    serve(db, a, T0 + timedelta(minutes=30), 50)
    serve(db, b, T0 + timedelta(hours=2), 40, result="seizure")
    with db.transaction() as s:
        stats = cargo_statistics(
            s,
            crossing=crossings.get_crossing(s, code),
            start=date(2025, 6, 14),
            end=date(2025, 6, 15),
        )
    assert (stats.trucks_inbound, stats.trucks_outbound) == (2, 1)
    assert (stats.released, stats.inspected, stats.seizures) == (1, 2, 1)
    assert stats.gross_kg == Decimal("74001")
    chapters = {c.chapter: (c.trucks, c.gross_kg) for c in stats.by_hs_chapter}
    assert chapters == {
        "25": (1, Decimal(30000)),
        "27": (1, Decimal(20000)),
        "72": (2, Decimal("24001")),
    }
    assert all(c.description for c in stats.by_hs_chapter)
    values = {v.currency: v.value for v in stats.value_by_currency}
    assert values == {"IQD": Decimal(15000000), "USD": Decimal(16400)}
    assert sum(stats.by_lane.values()) == 3
    assert c  # the outbound truck counted above
    with db.transaction() as s:
        later = cargo_statistics(
            s,
            crossing=crossings.get_crossing(s, code),
            start=T0 + timedelta(days=3),
            end=T0 + timedelta(days=3, seconds=1),
        )
    assert later.trucks_inbound == 1 and later.by_hs_chapter[0].chapter == "27"


def test_the_queue_learns_its_service_times_from_the_recorded_history(fresh_database: Database):
    db = fresh_database
    fast, slow = new_crossing(db), new_crossing(db)
    rifles = [item(hs_code="930320", description="Hunting rifles", unit="pcs", gross_kg=500)]
    for code, minutes in ((fast, 10), (slow, 120)):
        with db.transaction() as s:
            crossing = crossings.get_crossing(s, code)
            service.set_open_lanes(s, crossing=crossing, open=1, actor=SYSTEM, at=T0)
        start = T0
        for _ in range(12):  # history: red lane services, one after the other
            truck = arrive(db, code, start, items=rifles)
            serve(db, truck, start, minutes)
            start += timedelta(minutes=minutes)
        for n in range(3):  # then three trucks waiting
            arrive(db, code, start + timedelta(minutes=n), items=rifles)
    now = start + timedelta(minutes=5)
    with db.transaction() as s:
        q_fast = service.queue_snapshot(s, crossing=crossings.get_crossing(s, fast), at=now)
        q_slow = service.queue_snapshot(s, crossing=crossings.get_crossing(s, slow), at=now)
    assert len(q_fast.waiting) == len(q_slow.waiting) == 3
    lane = q_slow.waiting[0].lane
    assert q_slow.mean_service_minutes[lane] > 100 > 20 > q_fast.mean_service_minutes[lane]
    assert q_slow.waiting[-1].estimated_wait_minutes > 3 * q_fast.waiting[-1].estimated_wait_minutes
    assert [w.queue_position for w in q_slow.waiting] == [1, 2, 3]
    assert q_slow.new_arrival_wait_minutes >= q_slow.waiting[-1].estimated_wait_minutes


def number_drawing(low: float, high: float) -> str:
    """A declaration number whose random-selection draw (with SECRET) is in [low, high)."""
    while True:
        number = f"IM-{uuid.uuid4().hex[:10].upper()}"
        if low <= draw_from_seed(selection_seed(number, SECRET)) < high:
            return number


# The second truck's draw in each band of the shipped profile. The first truck (a first-time
# trader, yellow) fills the crossing's recent yellow share, so a yellow draw is suppressed by
# capacity: recomputing that lane needs the capacity state the visit recorded.
@pytest.mark.parametrize(
    ("low", "high", "suppressed"),
    [(0.0, 0.02, []), (0.02, 0.07, ["random-yellow"]), (0.07, 0.10, []), (0.10, 1.0, [])],
    ids=["red-draw", "yellow-draw-over-capacity", "blue-draw", "no-draw"],
)
def test_a_lane_can_be_recomputed_from_what_the_visit_records(
    database: Database, low: float, high: float, suppressed: list[str]
):
    code = new_crossing(database)
    arrive(database, code, T0, importer="Known Importer", number=number_drawing(0.10, 1.0))
    truck_id = arrive(
        database, code, T0 + timedelta(minutes=5), importer="Known Importer",
        number=number_drawing(low, high),
    )  # fmt: skip
    with database.transaction() as s:
        truck = service.get_truck(s, truck_id)
        assert int(truck.selection_seed) == selection_seed(truck.declaration_number, SECRET)
        assert truck.selection_draw == draw_from_seed(int(truck.selection_seed))
        assert truck.risk_inputs == {
            "first_time_trader": False,
            "driver_watchlist_match": False,
            "party_watchlist_match": False,
            "recent_lanes": {"yellow": 1},
        }
        profile = profile_version(s, truck.risk_profile_version).profile
        inputs = truck.risk_inputs
        facts = DeclarationFacts(
            regime=truck.regime,
            origin_country=truck.origin_country,
            destination_country=truck.destination_country,
            items=tuple(
                DeclarationItemFacts(
                    i.hs_code, i.gross_grams / 1000, i.value_thousandths / 1000, i.currency
                )
                for i in items_of(s, truck)
            ),
            exporter=truck.exporter,
            importer=truck.importer,
            driver_watchlist_match=inputs["driver_watchlist_match"],
            party_watchlist_match=inputs["party_watchlist_match"],
            first_time_trader=inputs["first_time_trader"],
        )
        capacity = CapacityState(
            recent_counts={Lane(k): n for k, n in inputs["recent_lanes"].items()}
        )
        again = assess_risk(facts, profile, seed=int(truck.selection_seed), capacity=capacity)
    assert again.lane.value == truck.lane
    assert [r.rule_id for r in again.reasons] == [r["rule_id"] for r in truck.lane_reasons]
    assert [r.rule_id for r in again.suppressed] == [r["rule_id"] for r in truck.suppressed_reasons]
    assert [r["rule_id"] for r in truck.suppressed_reasons] == suppressed


def test_every_step_is_audited_in_order_and_the_chain_holds(fresh_database: Database):
    db = fresh_database
    code = new_crossing(db)
    truck_id = arrive(db, code, T0)
    serve(db, truck_id, T0 + timedelta(minutes=10), 30)
    with db.transaction() as s:
        actions = [
            r.action
            for r in s.query(AuditRecord)
            .filter(AuditRecord.subject_id == truck_id)
            .order_by(AuditRecord.id)
        ]
        assert actions == [
            "truck.arrive", "truck.call", "truck.inspect", "truck.payment", "truck.release"
        ]  # fmt: skip
        assert audit.verify(s).ok


def test_refusals_leave_nothing_recorded(fresh_database: Database):
    db = fresh_database
    code = new_crossing(db)
    truck_id = arrive(db, code, T0)
    with db.transaction() as s:
        before = s.query(AuditRecord).count()
    with pytest.raises(DomainError) as refused, db.transaction() as s:
        service.release_truck(s, truck_id=truck_id, actor=SYSTEM, at=T0)
    assert refused.value.slug == "inspection-required"
    with pytest.raises(DomainError) as early, db.transaction() as s:
        service.record_inspection(
            s, truck_id=truck_id, kind=InspectionKind.DOCUMENTARY,
            result=InspectionResult.CLEARED, findings=None,
            started_at=T0 - timedelta(hours=1), actor=SYSTEM, at=T0,
        )  # fmt: skip
    assert early.value.errors[0].field == "started_at"
    bad = TruckArrival.model_construct(**TruckArrival.model_validate(arrival()).__dict__)
    bad.declaration.items[0].hs_code = "999999"  # as a caller that skipped validation
    with pytest.raises(DomainError) as hs, db.transaction() as s:
        service.register_truck(
            s, crossing=crossings.get_crossing(s, code), arrival=bad, secret=SECRET,
            actor=SYSTEM, at=T0,
        )  # fmt: skip
    assert hs.value.status == 422 and hs.value.errors[0].field == "declaration.items[0].hs_code"
    with db.transaction() as s:
        assert s.query(AuditRecord).count() == before
        assert service.get_truck(s, truck_id).state == "queued"


def test_a_batch_of_arrivals_is_decided_as_the_same_arrivals_one_by_one(database: Database):
    # Two crossings with the same history; the same arrivals one by one at the first and in one
    # batch at the second: a trader's first truck makes the next known, recent lanes count the
    # trucks before each one, the batch's own included.
    one, batch = new_crossing(database), new_crossing(database)
    for code in (one, batch):
        arrive(database, code, T0 - timedelta(hours=9), importer="Old Customer")  # out of window
        arrive(database, code, T0 - timedelta(hours=2), importer="Recent Customer")
    bodies = [
        (arrival(importer=importer, number=f"IM-{uuid.uuid4().hex[:8].upper()}"),
         T0 + timedelta(minutes=m))
        for m, importer in [(0, "New Trader"), (5, "New Trader"), (9, "Old Customer"),
                            (400, "Other Trader"), (600, "Recent Customer")]
    ]  # fmt: skip

    def decided(truck) -> tuple:
        return (truck.lane, truck.risk_inputs, truck.lane_reasons, truck.state, truck.arrived_at,
                truck.priority_class, truck.selection_draw)  # fmt: skip

    with database.transaction() as s:
        crossing = crossings.get_crossing(s, one)
        singly = []
        for body, at in bodies:
            truck = service.register_truck(
                s, crossing=crossing, arrival=TruckArrival.model_validate(body), secret=SECRET,
                actor=SYSTEM, at=at,
            )  # fmt: skip
            singly.append(decided(truck))
    with database.transaction() as s:
        trucks = service.register_trucks(
            s,
            crossing=crossings.get_crossing(s, batch),
            arrivals=[(TruckArrival.model_validate(body), at) for body, at in bodies],
            secret=SECRET,
            actor=SYSTEM,
        )
        together = [decided(t) for t in trucks]
        assert [len(items_of(s, t)) for t in trucks] == [1] * len(bodies)
    assert together == singly
    assert [inputs["first_time_trader"] for _, inputs, *_ in singly] == [
        True, False, False, True, False,
    ]  # fmt: skip
    assert singly[1][1]["recent_lanes"]  # the batch's first truck counts for the second


def test_a_batch_with_a_bad_arrival_records_nothing_and_names_it(database: Database):
    code = new_crossing(database)
    mrz = driver_mrz()
    broken = mrz[:-1] + str((int(mrz[-1]) + 1) % 10)  # the composite check digit is wrong
    bodies = [arrival(), arrival(driver={"mrz": broken})]
    with database.transaction() as s:
        with pytest.raises(DomainError) as caught:
            service.register_trucks(
                s,
                crossing=crossings.get_crossing(s, code),
                arrivals=[(TruckArrival.model_validate(b), T0) for b in bodies],
                secret=SECRET,
                actor=SYSTEM,
            )
        assert not service.list_trucks(s, crossing=crossings.get_crossing(s, code), state=None,
                                       limit=10)  # fmt: skip
    assert caught.value.status == 422
    assert all(e.field.startswith("arrivals[1].driver.mrz") for e in caught.value.errors)
