"""After the story: ordinary days up to the present, so the demo shows a working crossing today.

Between the end of the first fortnight (June 2025) and the last two weeks nothing is simulated
but one event: a sandstorm that closed the crossing for a day in April 2026, with a statement,
and the reopening the next morning with another. Then the `RECENT_DAYS` days up to now (the
dashboard's fourteen days, today until this minute) get ordinary traffic through the same
services as the story: the cargo simulation of cargo_story at a quieter rate, a convoy waiting
now, passengers by the day through `traveller.bulk`, a few patrols. Seeded like the story; only
the dates follow the clock.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rich.console import Console

from borderpost.auth.permissions import Role
from borderpost.auth.service import Actor
from borderpost.cargo import service as cargo
from borderpost.crossing import service as crossings
from borderpost.crossing.rules import ReasonCategory, State, Traffic
from borderpost.db import Database, utcnow
from borderpost.demo import cargo_story
from borderpost.demo.cargo_goods import make_arrival
from borderpost.demo.passenger_story import MODES, Person, mrz_of, population, weighted
from borderpost.traveller import service as travellers
from borderpost.traveller.bulk import NewMovement, record_movements
from borderpost.traveller.rules import Decision, Direction, TravelMode

CODE = "IQ-QAIM"
ZONE = ZoneInfo("Asia/Baghdad")
RECENT_DAYS = 14
TRUCK_SCALE = 0.15  # of the reopening fortnight's full rate: about 35 trucks a day
PASSENGERS_PER_DAY = (350, 550)
CONVOY = 9
SANDSTORM = datetime(2026, 4, 18, 5, 30, tzinfo=UTC)
SEED = 2026
Say = Callable[[str], None]
BOTH = [Traffic.CARGO, Traffic.PASSENGER]


def recent_start(now: datetime) -> datetime:
    """Midnight at the crossing, RECENT_DAYS - 1 days before today there."""
    first = now.astimezone(ZONE).date() - timedelta(days=RECENT_DAYS - 1)
    return datetime.combine(first, time(0, 0), ZONE).astimezone(UTC)


def up_to_today(
    db: Database,
    actors: dict[Role, Actor],
    say: Say,
    *,
    secret: bytes,
    console: Console | None = None,
    now: datetime | None = None,
) -> None:
    now = (now or utcnow()).replace(second=0, microsecond=0)
    start = recent_start(now)
    if start > SANDSTORM:
        sandstorm(db, actors, say)
    cargo_story.fortnight(
        db, actors, say, secret=secret, console=console, seed=SEED, start=start, end=now,
        scale=TRUCK_SCALE,
    )  # fmt: skip
    convoy(db, actors, say, secret=secret, now=now)
    passengers(db, actors, say, start=start, now=now)
    patrols(db, actors, say, start=start, now=now)


def convoy(
    db: Database, actors: dict[Role, Actor], say: Say, *, secret: bytes, now: datetime
) -> None:
    """A convoy arrived in the last forty minutes and waits: the queue the demo opens with."""
    rng = random.Random(SEED + 2)
    arrivals = []
    for n in range(CONVOY):
        when = now - timedelta(minutes=40 - 3 * n)
        arrivals.append((make_arrival(rng, 900 + n, when.date()), when))
    with db.transaction() as s:
        cargo.register_trucks(
            s,
            crossing=crossings.get_crossing(s, CODE),
            arrivals=arrivals,
            secret=secret,
            actor=actors[Role.CUSTOMS],
        )
    say(f"{now:%Y-%m-%d %H:%M} a convoy of {CONVOY} trucks waiting")


def sandstorm(db: Database, actors: dict[Role, Actor], say: Say) -> None:
    """A day closed for weather: no assessment needed to reopen (only security needs one)."""
    supervisor = actors[Role.SUPERVISOR]
    with db.transaction() as s:
        crossing = crossings.get_crossing(s, CODE)
        crossings.change_status(
            s, crossing=crossing, traffic=BOTH, state=State.CLOSED,
            reason_category=ReasonCategory.WEATHER,
            reason="Sandstorm: visibility under 50 m on the approach roads.",
            assessment_id=None, actor=supervisor, at=SANDSTORM,
        )  # fmt: skip
        crossings.publish_statement(
            s,
            crossing=crossing,
            actor=supervisor,
            at=SANDSTORM + timedelta(minutes=10),
            text_en="Al-Qaim is suspended for cargo and passengers because of a sandstorm. "
            "Please do not travel to the crossing until it reopens.",
            text_ar="عُلّق العمل في منفذ القائم للشاحنات والمسافرين بسبب عاصفة ترابية. "
            "يرجى عدم التوجه إلى المنفذ حتى إعادة فتحه.",
        )
    with db.transaction() as s:
        crossing = crossings.get_crossing(s, CODE)
        crossings.change_status(
            s, crossing=crossing, traffic=BOTH, state=State.OPEN,
            reason_category=ReasonCategory.WEATHER, reason="The sandstorm has passed.",
            assessment_id=None, actor=supervisor, at=SANDSTORM + timedelta(hours=25),
        )  # fmt: skip
        crossings.publish_statement(
            s,
            crossing=crossing,
            actor=supervisor,
            at=SANDSTORM + timedelta(hours=25, minutes=5),
            text_en="The sandstorm has passed: Al-Qaim is open again to cargo trucks and "
            "passengers.",
            text_ar="انتهت العاصفة الترابية: منفذ القائم مفتوح مجدداً أمام الشاحنات والمسافرين.",
        )
    say(f"{SANDSTORM:%Y-%m-%d} closed for a day by a sandstorm")


def passengers(
    db: Database, actors: dict[Role, Actor], say: Say, *, start: datetime, now: datetime
) -> None:
    """Each day's travellers from 06:00 to 20:00 at the crossing, up to now; referrals resolved
    within the hour and a half, except those of the last hour (still waiting)."""
    immigration, supervisor = actors[Role.IMMIGRATION], actors[Role.SUPERVISOR]
    rng = random.Random(SEED)
    people = population(rng)
    listed = people[14_000:]
    total = referred_open = 0
    day = start
    while day < now:
        opens = day + timedelta(hours=6)
        stamps = sorted(rng.uniform(0, 14 * 3600) for _ in range(rng.randint(*PASSENGERS_PER_DAY)))
        batch: list[tuple[Person, bool, NewMovement]] = []
        for second in stamps:
            when = opens + timedelta(seconds=second)
            if when >= now:
                break
            person = rng.choice(listed) if rng.random() < 0.004 else rng.choice(people)
            direction = Direction.EXIT if person.inside else Direction.ENTRY
            mode = TravelMode(weighted(rng, MODES))  # type: ignore[arg-type]
            movement = NewMovement(direction, mode, when, mrz_of(person), purpose=None)
            batch.append((person, person.inside, movement))
            person.inside = direction == Direction.ENTRY  # put back below if not admitted
        if batch:
            with db.transaction() as s:
                crossing = crossings.get_crossing(s, CODE)
                recorded = record_movements(
                    s, crossing=crossing, movements=[m for _, _, m in batch], actor=immigration
                )
                for (person, was_inside, _), movement in zip(batch, recorded, strict=True):
                    if movement.decision != Decision.ADMITTED:
                        person.inside = was_inside
                    if movement.decision != Decision.REFERRED:
                        continue
                    resolved_at = movement.recorded_at + timedelta(minutes=rng.randint(20, 90))
                    if resolved_at > now:
                        referred_open += 1
                        continue
                    resolved = travellers.resolve_movement(
                        s,
                        movement_id=movement.id,
                        decision=Decision.ADMITTED,
                        note="Secondary inspection: not the listed person / record corrected.",
                        actor=supervisor,
                        at=resolved_at,
                    )
                    person.inside = resolved.direction == Direction.ENTRY
            total += len(batch)
        day += timedelta(days=1)
    say(
        f"{start:%Y-%m-%d} to {now:%Y-%m-%d %H:%M}: {total:,} passenger movements, "
        f"{referred_open} referrals waiting"
    )


def patrols(
    db: Database, actors: dict[Role, Actor], say: Say, *, start: datetime, now: datetime
) -> None:
    rng = random.Random(SEED + 1)
    day: date = start.astimezone(ZONE).date()
    while True:
        day += timedelta(days=rng.randint(3, 5))
        when = datetime.combine(day, time(rng.randint(7, 17), 0), ZONE).astimezone(UTC)
        if when >= now:
            break
        with db.transaction() as s:
            crossings.record_incident(
                s,
                crossing=crossings.get_crossing(s, CODE),
                kind="patrol",
                severity=1,
                occurred_at=when,
                description="Routine patrol along the berm; the crossing area is calm.",
                actor=actors[Role.SECURITY],
                at=when,
            )
