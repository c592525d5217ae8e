from datetime import UTC, datetime, timedelta

from borderpost.cargo.lanes import Lane
from borderpost.cargo.queueing import PriorityClass, QueuedTruck, order_queue, priority_class

T0 = datetime(2025, 6, 7, 8, 0, tzinfo=UTC)


def truck(truck_id, minute, **kw):
    return QueuedTruck(truck_id=truck_id, arrived_at=T0 + timedelta(minutes=minute), **kw)


def test_priority_classes():
    assert priority_class(truck("a", 0, hs_codes=("010229",))) is PriorityClass.LIVE_ANIMALS
    assert priority_class(truck("a", 0, humanitarian=True)) is PriorityClass.LIVE_ANIMALS
    assert priority_class(truck("a", 0, hs_codes=("0805.10",))) is PriorityClass.PERISHABLE
    assert priority_class(truck("a", 0, hs_codes=("080211",))) is PriorityClass.STANDARD  # nuts
    assert priority_class(truck("a", 0, temperature_controlled=True)) is PriorityClass.PERISHABLE
    assert priority_class(truck("a", 0, regime="transit", hs_codes=("252329",))) is (
        PriorityClass.TRANSIT
    )
    assert priority_class(truck("a", 0, hs_codes=("870323",))) is PriorityClass.STANDARD


def test_order_queue_interleaves_the_classes_by_weight_arrival_within_a_class():
    trucks = [
        truck("cars-1", 0, hs_codes=("870323",), lane=Lane.RED),
        truck("cement-transit", 5, regime="transit", hs_codes=("252329",)),
        truck("cars-2", 6, hs_codes=("870323",)),
        truck("tomatoes", 10, hs_codes=("070200",)),
        truck("sheep", 20, hs_codes=("010410",)),
        truck("oranges", 3, hs_codes=("080510",)),
    ]
    ordered = [t.truck_id for t in order_queue(trucks)]
    # sheep first; then perishables (weight 4) and transit (2) share the calls before cars (1).
    assert ordered == ["sheep", "oranges", "cement-transit", "tomatoes", "cars-1", "cars-2"]


def test_same_arrival_time_is_ordered_by_id_and_input_order_does_not_matter():
    a, b = truck("b", 0), truck("a", 0)
    assert [t.truck_id for t in order_queue([a, b])] == ["a", "b"]
    assert order_queue([a, b]) == order_queue([b, a])


def test_ageing_promotes_long_waiting_trucks_but_not_above_live_animals():
    old = truck("old", 0, hs_codes=("870323",))
    fresh = truck("fruit", 200, hs_codes=("080510",))
    sheep = truck("sheep", 230, hs_codes=("010410",))
    now = T0 + timedelta(minutes=240)
    assert [t.truck_id for t in order_queue([old, fresh, sheep], now=now)] == [
        "sheep",
        "fruit",
        "old",
    ]
    promoted = order_queue([old, fresh, sheep], now=now, promote_after_minutes=180)
    assert [t.truck_id for t in promoted] == ["sheep", "old", "fruit"]


def test_no_class_starves_behind_a_long_line_of_priority_trucks():
    fruit = [truck(f"fruit-{n:03}", n, hs_codes=("080510",)) for n in range(60)]
    sheep = [truck(f"sheep-{n:03}", n, hs_codes=("010410",)) for n in range(60)]
    cars = [truck(f"cars-{n}", -100 + n, hs_codes=("870323",)) for n in range(3)]
    ordered = [t.truck_id for t in order_queue([*fruit, *sheep, *cars])]
    assert ordered[:3] == ["sheep-000", "fruit-000", "sheep-001"]
    # Within every 13 calls (weights 8 + 4 + 1) an ordinary truck is called once.
    assert [ordered.index(f"cars-{n}") for n in range(3)] == [6, 19, 32]
    assert [t for t in ordered if t.startswith("fruit")] == [t.truck_id for t in fruit]
