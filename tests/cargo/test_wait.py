from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderpost.cargo.lanes import Lane
from borderpost.cargo.queueing import PriorityClass, QueuedTruck, order_queue
from borderpost.cargo.wait import (
    DEFAULT_SERVICE_MINUTES,
    InService,
    ServiceRecord,
    estimate_queue,
    estimate_waits,
    public_wait_minutes,
    service_times,
)

NOW = datetime(2025, 6, 7, 10, 0, tzinfo=UTC)


def ago(minutes):
    return NOW - timedelta(minutes=minutes)


def services(lane, minutes, count, *, priority=PriorityClass.STANDARD, end=5):
    """`count` services of `minutes` each, finished one after another up to `end` minutes ago."""
    return [
        ServiceRecord(
            lane=lane,
            started_at=ago(end + i * 3 + minutes),
            finished_at=ago(end + i * 3),
            priority=priority,
        )
        for i in range(count)
    ]


def queue_of(*lanes):
    return [
        QueuedTruck(truck_id=f"t{i}", arrived_at=ago(30 - i), lane=lane)
        for i, lane in enumerate(lanes)
    ]


def test_empty_crossing_means_no_wait():
    waits = estimate_waits(
        queue_of(Lane.GREEN), in_service=[], recent_services=[], lanes_open=2, now=NOW
    )
    assert waits == {"t0": 0}


def test_one_lane_sums_the_services_ahead_with_the_defaults():
    queue = queue_of(Lane.GREEN, Lane.RED, Lane.YELLOW)
    waits = estimate_waits(queue, in_service=[], recent_services=[], lanes_open=1, now=NOW)
    green, red = DEFAULT_SERVICE_MINUTES[Lane.GREEN], DEFAULT_SERVICE_MINUTES[Lane.RED]
    assert waits == {"t0": 0, "t1": round(green), "t2": round(green + red)}


def test_more_open_lanes_shorten_the_waits():
    queue = queue_of(*[Lane.YELLOW] * 8)
    one = estimate_waits(queue, in_service=[], recent_services=[], lanes_open=1, now=NOW)
    four = estimate_waits(queue, in_service=[], recent_services=[], lanes_open=4, now=NOW)
    assert four["t7"] < one["t7"] / 3


def test_slower_recent_services_give_longer_estimates():
    queue = queue_of(*[Lane.YELLOW] * 6)
    fast = estimate_waits(
        queue, in_service=[], recent_services=services(Lane.YELLOW, 15, 20), lanes_open=2, now=NOW
    )
    slow = estimate_waits(
        queue, in_service=[], recent_services=services(Lane.YELLOW, 45, 20), lanes_open=2, now=NOW
    )
    assert slow["t5"] > 2 * fast["t5"]
    assert fast["t5"] < round(3 * DEFAULT_SERVICE_MINUTES[Lane.YELLOW])


def test_a_general_slowdown_carries_over_to_lanes_with_no_recent_service():
    queue = queue_of(Lane.RED, Lane.RED, Lane.GREEN)
    usual = estimate_waits(
        queue, in_service=[], recent_services=services(Lane.GREEN, 6, 20), lanes_open=1, now=NOW
    )
    slow = estimate_waits(
        queue, in_service=[], recent_services=services(Lane.GREEN, 12, 20), lanes_open=1, now=NOW
    )
    assert slow["t2"] > 1.5 * usual["t2"]


def test_trucks_in_service_hold_the_lanes_for_their_remaining_time():
    queue = queue_of(Lane.GREEN)
    recent = services(Lane.RED, 60, 10)
    just_started = estimate_waits(
        queue,
        in_service=[InService("r", Lane.RED, ago(1))],
        recent_services=recent,
        lanes_open=1,
        now=NOW,
    )
    nearly_done = estimate_waits(
        queue,
        in_service=[InService("r", Lane.RED, ago(55))],
        recent_services=recent,
        lanes_open=1,
        now=NOW,
    )
    assert just_started["t0"] > nearly_done["t0"] > 0
    free_lane = estimate_waits(
        queue,
        in_service=[InService("r", Lane.RED, ago(1))],
        recent_services=recent,
        lanes_open=2,
        now=NOW,
    )
    assert free_lane["t0"] == 0


def test_priority_trucks_are_estimated_first():
    queue = [
        QueuedTruck("cars", ago(60), lane=Lane.RED, hs_codes=("870323",)),
        QueuedTruck("sheep", ago(1), lane=Lane.GREEN, hs_codes=("010410",)),
    ]
    waits = estimate_waits(
        queue,
        in_service=[InService("x", Lane.YELLOW, ago(1))],
        recent_services=[],
        lanes_open=1,
        now=NOW,
    )
    assert waits["sheep"] < waits["cars"]


def test_recent_priority_traffic_lengthens_the_waits_of_ordinary_trucks():
    queue = queue_of(*[Lane.YELLOW] * 6)
    base = services(Lane.YELLOW, 25, 10)
    perishables = services(Lane.YELLOW, 25, 12, priority=PriorityClass.PERISHABLE, end=2)
    without = estimate_waits(queue, in_service=[], recent_services=base, lanes_open=2, now=NOW)
    with_ = estimate_waits(
        queue, in_service=[], recent_services=base + perishables, lanes_open=2, now=NOW
    )
    assert with_["t5"] > without["t5"]


def test_service_times_cap_outliers_and_shrink_to_the_prior():
    recent = services(Lane.GREEN, 6, 19) + services(Lane.GREEN, 600, 1, end=1)
    times = service_times(recent, now=NOW)
    assert times.mean[Lane.GREEN] < 12  # one truck held for ten hours does not swamp the mean
    assert times.mean[Lane.RED] == pytest.approx(DEFAULT_SERVICE_MINUTES[Lane.RED], rel=0.35)
    typical = service_times([], now=NOW, typical={Lane.RED: 120.0})
    assert typical.mean[Lane.RED] == pytest.approx(120.0)


def test_public_wait_is_the_wait_of_an_ordinary_truck_arriving_now():
    queue = queue_of(Lane.YELLOW, Lane.YELLOW)
    public = public_wait_minutes(queue, in_service=[], recent_services=[], lanes_open=1, now=NOW)
    assert public == round(2 * DEFAULT_SERVICE_MINUTES[Lane.YELLOW])
    assert public_wait_minutes([], in_service=[], recent_services=[], lanes_open=1, now=NOW) == 0


def test_no_open_lane_is_an_error():
    with pytest.raises(ValueError):
        estimate_waits(
            queue_of(Lane.GREEN), in_service=[], recent_services=[], lanes_open=0, now=NOW
        )


# The one-pass estimate must answer what estimating the queue with the arriving truck in it did.
_lanes = st.sampled_from(list(Lane))
_trucks = st.builds(
    QueuedTruck,
    truck_id=st.text("abcdef0123", min_size=4, max_size=4),
    arrived_at=st.integers(-240, 5).map(lambda m: NOW + timedelta(minutes=m)),
    lane=_lanes,
    regime=st.sampled_from(["import", "export", "transit"]),
    hs_codes=st.lists(st.sampled_from(["010221", "080510", "870323", "252329"]), max_size=2).map(
        tuple
    ),
    temperature_controlled=st.booleans(),
    humanitarian=st.booleans(),
)
_services = st.builds(
    lambda lane, start, minutes, priority: ServiceRecord(
        lane, ago(start), ago(start) + timedelta(minutes=minutes), priority
    ),
    _lanes,
    st.integers(0, 600),
    st.integers(1, 240),
    st.sampled_from(list(PriorityClass)),
)


@settings(max_examples=300, deadline=None)
@given(
    queue=st.lists(_trucks, max_size=30, unique_by=lambda t: t.truck_id),
    serving=st.lists(st.tuples(_lanes, st.integers(0, 200)), max_size=6),
    recent=st.lists(_services, max_size=60),
    lanes_open=st.integers(1, 5),
)
def test_one_pass_estimate_matches_the_queue_estimated_with_the_arriving_truck(
    queue, serving, recent, lanes_open
):
    in_service = [InService(f"s{i}", lane, ago(m)) for i, (lane, m) in enumerate(serving)]
    kwargs = {"in_service": in_service, "recent_services": recent, "lanes_open": lanes_open}
    estimate = estimate_queue(queue, now=NOW, **kwargs)
    assert estimate.order == order_queue(queue, now=NOW)
    assert estimate.waits == estimate_waits(queue, now=NOW, **kwargs)
    # An ordinary truck arriving now, ordered as the arriving truck is (its id sorts first).
    arriving = QueuedTruck(truck_id="\x00probe", arrived_at=NOW)
    with_it = estimate_waits([*queue, arriving], now=NOW, **kwargs)
    assert estimate.new_arrival == with_it["\x00probe"]
    assert public_wait_minutes(queue, now=NOW, **kwargs) == estimate.new_arrival
