"""Wait-time estimates for waiting trucks, from what the crossing has observed recently.

For each lane we estimate the mean service time (how long a truck holds an inspection lane) from
the recent services of that lane: the services finished in the last `window_minutes`, at least
the last `min_samples` whatever their age, at most `max_samples`; each sample is capped at four
times the sample median (so one truck held for hours does not swamp the mean, while the skew of
real service times is kept), and the result is shrunk towards a prior with the weight of
`prior_weight` samples. The prior is the lane default scaled by how much slower or faster than
the defaults all lanes have recently been, so a lane with few recent trucks still follows a
general slowdown.

Then we play the queue forward: the open inspection lanes are servers, busy until each truck in
service finishes (its expected remaining time given how long it has already been in service,
from the same samples); waiting trucks are taken in priority order by the first free server,
each holding it for its lane's mean. A truck's estimate is when its server frees up. Last,
trucks of higher priority classes that will arrive meanwhile overtake the lower ones: a class-k
estimate is divided by (1 - load of classes above k), the load measured from services started in
the last `window_minutes`.
"""

from __future__ import annotations

import heapq
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from borderpost.cargo.lanes import Lane
from borderpost.cargo.queueing import Calls, PriorityClass, QueuedTruck, priority_class

__all__ = [
    "DEFAULT_SERVICE_MINUTES",
    "InService",
    "QueueEstimate",
    "ServiceRecord",
    "ServiceTimes",
    "estimate_queue",
    "estimate_waits",
    "public_wait_minutes",
    "service_times",
]

# Rough defaults before anything has been observed: a green truck's papers are stamped in
# minutes, a documentary check takes a quarter of an hour or more, a physical examination with
# partial unloading an hour or more.
DEFAULT_SERVICE_MINUTES: Mapping[Lane, float] = {
    Lane.GREEN: 6.0,
    Lane.BLUE: 6.0,
    Lane.YELLOW: 25.0,
    Lane.RED: 75.0,
}
_MAX_OVERTAKING_LOAD = 0.8
_LOAD_WINDOW = 90.0


@dataclass(frozen=True, slots=True)
class InService:
    truck_id: str
    lane: Lane
    started_at: datetime


@dataclass(frozen=True, slots=True)
class ServiceRecord:
    lane: Lane
    started_at: datetime
    finished_at: datetime
    priority: PriorityClass = PriorityClass.STANDARD

    @property
    def minutes(self) -> float:
        return (self.finished_at - self.started_at).total_seconds() / 60.0


@dataclass(frozen=True, slots=True)
class ServiceTimes:
    mean: Mapping[Lane, float]
    samples: Mapping[Lane, tuple[float, ...]]  # capped samples, used for remaining times

    def remaining(self, lane: Lane, elapsed: float) -> float:
        """Expected remaining minutes of a service of `lane` already `elapsed` minutes long."""
        mean = self.mean[lane]
        longer = [s - elapsed for s in self.samples.get(lane, ()) if s > elapsed]
        if len(longer) >= 3:
            return statistics.fmean(longer)
        return max(mean - elapsed, 0.3 * mean)


def _capped(values: Sequence[float]) -> list[float]:
    if not values:
        return []
    cap = 4.0 * statistics.median(values)
    return [min(v, cap) for v in values]


def service_times(
    recent_services: Iterable[ServiceRecord],
    *,
    now: datetime,
    window_minutes: float = 90.0,
    min_samples: int = 5,
    max_samples: int = 40,
    prior_weight: float = 10.0,
    typical: Mapping[Lane, float] | None = None,
) -> ServiceTimes:
    """Recent mean service minutes per lane (see the module text). `typical` are the long-run
    means per lane (for example of the last 30 days); DEFAULT_SERVICE_MINUTES when not given."""
    typical = DEFAULT_SERVICE_MINUTES if typical is None else {**DEFAULT_SERVICE_MINUTES, **typical}
    since = now - timedelta(minutes=window_minutes)
    by_lane: dict[Lane, list[ServiceRecord]] = {lane: [] for lane in Lane}
    for record in sorted(recent_services, key=lambda r: r.finished_at, reverse=True):
        if record.finished_at <= now:
            by_lane[Lane(record.lane)].append(record)
    samples: dict[Lane, tuple[float, ...]] = {}
    in_window: dict[Lane, list[float]] = {}
    for lane, records in by_lane.items():
        recent = [r.minutes for r in records if r.finished_at >= since][:max_samples]
        in_window[lane] = recent
        older = [r.minutes for r in records[:min_samples]]
        chosen = recent if len(recent) >= min_samples else older
        samples[lane] = tuple(_capped(chosen))
    # How much slower or faster than usual all lanes have been within the window.
    observed = sum(sum(_capped(v)) for v in in_window.values())
    expected = sum(typical[lane] * len(v) for lane, v in in_window.items())
    count = sum(len(v) for v in in_window.values())
    factor = min(max(observed / expected, 1 / 3), 3.0) if count >= min_samples else 1.0
    mean = {}
    for lane in Lane:
        s = samples[lane]
        prior = typical[lane] * factor
        mean[lane] = (sum(s) + prior_weight * prior) / (len(s) + prior_weight)
    return ServiceTimes(mean=mean, samples=samples)


def _overtaking_load(
    recent_services: Sequence[ServiceRecord], *, now: datetime, window_minutes: float, servers: int
) -> dict[PriorityClass, float]:
    """For each class, the recent load on the lanes of the classes above it (0..0.8)."""
    since = now - timedelta(minutes=window_minutes)
    work = {cls: 0.0 for cls in PriorityClass}
    for r in recent_services:
        if since <= r.started_at <= now:
            work[PriorityClass(r.priority)] += r.minutes
    load, above = {}, 0.0
    for cls in sorted(PriorityClass):
        load[cls] = min(above / (window_minutes * servers), _MAX_OVERTAKING_LOAD)
        above += work[cls]
    return load


@dataclass(frozen=True, slots=True)
class QueueEstimate:
    order: list[QueuedTruck]  # the waiting trucks in call order
    waits: dict[str, int]  # estimated minutes until each is called, by truck id
    new_arrival: int  # the wait of an ordinary truck arriving now
    times: ServiceTimes


_PROBE_ID = "\x00arriving-now"


def estimate_queue(
    queue: Iterable[QueuedTruck],
    *,
    in_service: Iterable[InService],
    recent_services: Iterable[ServiceRecord],
    lanes_open: int,
    now: datetime,
    window_minutes: float = 90.0,
    typical: Mapping[Lane, float] | None = None,
) -> QueueEstimate:
    """The queue in call order with every truck's wait, and the wait of an ordinary truck that
    arrives now, in one pass: the service times computed once, the queue ordered and played
    forward once.

    The truck arriving now (the probe) joins the ordinary line in its arrival order. Until the
    calls reach its place, the queue is called as if it were not there (its line has trucks
    ahead of it either way); there the state is copied, the probe put at the head of its line,
    and that copy played on until the probe is called (at most 15 calls: see queueing). The
    others' waits do not count the probe, as they did not when it was estimated apart.
    """
    if lanes_open < 1:
        raise ValueError("no inspection lane is open: waits cannot be estimated")
    recent = list(recent_services)
    times = service_times(recent, now=now, window_minutes=window_minutes, typical=typical)
    residuals = [
        times.remaining(Lane(t.lane), max((now - t.started_at).total_seconds() / 60.0, 0.0))
        for t in in_service
    ]
    # A server frees when its truck leaves; with more trucks in service than open lanes (a lane
    # just closed), a lane frees only when enough of them have left: keep the latest ones.
    free_at = sorted([*residuals, *[0.0] * max(lanes_open - len(residuals), 0)])[-lanes_open:]
    heapq.heapify(free_at)
    load = _overtaking_load(recent, now=now, window_minutes=_LOAD_WINDOW, servers=lanes_open)
    probe = QueuedTruck(truck_id=_PROBE_ID, arrived_at=now)
    probe_class, probe_key = priority_class(probe), (probe.arrived_at, probe.truck_id)

    def at_probe(calls: Calls) -> bool:  # the probe would be next in its line
        line = calls.lines[probe_class]
        return not line or (line[0].arrived_at, line[0].truck_id) > probe_key

    calls = Calls(queue, now=now)
    fork: tuple[Calls, list[float]] | None = None
    order: list[QueuedTruck] = []
    waits: dict[str, int] = {}
    while calls:
        if fork is None and at_probe(calls):
            fork = (calls.copy(), list(free_at))
        truck = calls.pop()
        start = heapq.heappop(free_at)
        heapq.heappush(free_at, start + times.mean[Lane(truck.lane)])
        order.append(truck)
        waits[truck.truck_id] = round(start / (1.0 - load[priority_class(truck)]))
    calls, free_at = fork or (calls, free_at)
    calls.lines[probe_class].appendleft(probe)
    while (truck := calls.pop()) is not probe:
        start = heapq.heappop(free_at)
        heapq.heappush(free_at, start + times.mean[Lane(truck.lane)])
    new_arrival = round(heapq.heappop(free_at) / (1.0 - load[probe_class]))
    return QueueEstimate(order=order, waits=waits, new_arrival=new_arrival, times=times)


def estimate_waits(
    queue: Iterable[QueuedTruck],
    *,
    in_service: Iterable[InService],
    recent_services: Iterable[ServiceRecord],
    lanes_open: int,
    now: datetime,
    window_minutes: float = 90.0,
    typical: Mapping[Lane, float] | None = None,
) -> dict[str, int]:
    """Estimated minutes until each waiting truck is called to an inspection lane."""
    return estimate_queue(
        queue,
        in_service=in_service,
        recent_services=recent_services,
        lanes_open=lanes_open,
        now=now,
        window_minutes=window_minutes,
        typical=typical,
    ).waits


def public_wait_minutes(
    queue: Iterable[QueuedTruck],
    *,
    in_service: Iterable[InService],
    recent_services: Iterable[ServiceRecord],
    lanes_open: int,
    now: datetime,
    window_minutes: float = 90.0,
    typical: Mapping[Lane, float] | None = None,
) -> int:
    """The wait of an ordinary truck (no priority) that arrives now, for the public page."""
    return estimate_queue(
        queue,
        in_service=in_service,
        recent_services=recent_services,
        lanes_open=lanes_open,
        now=now,
        window_minutes=window_minutes,
        typical=typical,
    ).new_arrival
