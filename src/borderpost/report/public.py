"""What the public sees: state per traffic class, waits, the latest statement. No personal data."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from borderpost.cargo import queue_service
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing, TrafficStatus
from borderpost.crossing.rules import Allowed, State, Traffic
from borderpost.report.schemas import (
    PublicAllowed,
    PublicClassStatus,
    PublicCrossing,
    PublicDirections,
    PublicDirectionStatus,
    PublicStatement,
    PublicStatus,
    PublicWaits,
)
from borderpost.traveller import service as travellers
from borderpost.web.i18n import Formatter, translations
from borderpost.web.labels import labels


def public_crossing(db: Session, crossing: Crossing) -> PublicCrossing:
    status = crossings.current_status(db, crossing)
    statement = crossings.latest_statement(db, crossing)
    updated = max(
        [s.since for s in status.values()] + ([statement.published_at] if statement else [])
    )
    return PublicCrossing(
        code=crossing.code,
        name=crossing.name,
        counterpart_name=crossing.counterpart_name,
        status=PublicStatus(
            **{
                t.value: PublicClassStatus(
                    state=s.state,
                    since=s.since,
                    directions=PublicDirections(
                        **{d.value: _direction(row) for d, row in s.directions.items()}
                    ),
                )
                for t, s in status.items()
            }
        ),
        waits=PublicWaits(
            cargo_minutes=queue_service.public_wait_minutes(db, crossing=crossing),
            passenger_minutes=_passenger_wait(db, crossing, status),
        ),
        statement=PublicStatement(
            text_en=statement.text_en,
            text_ar=statement.text_ar,
            published_at=statement.published_at,
            # A statement older than the last change of state speaks of an earlier situation
            # ("closed because of a sandstorm" under an open crossing): shown as past.
            current=statement.published_at >= max(s.since for s in status.values()),
        )
        if statement
        else None,
        updated_at=updated,
    )


def _direction(row: TrafficStatus) -> PublicDirectionStatus:
    allowed = crossings.allowed_of(row)
    if allowed is None:
        return PublicDirectionStatus(state=row.state, since=row.since)
    return PublicDirectionStatus(
        state=row.state,
        since=row.since,
        allowed=PublicAllowed(
            categories=sorted(allowed.categories), nationalities=sorted(allowed.nationalities)
        ),
        summary_en=allowed_summary(allowed, "en"),
        summary_ar=allowed_summary(allowed, "ar"),
    )


def allowed_summary(allowed: Allowed, lang: str) -> str:
    """What a restricted direction lets pass, in words of the page's catalogue."""
    _ = translations(lang).gettext
    names = labels(_)
    comma = "، " if lang == "ar" else ", "
    parts = []
    if allowed.categories:
        what = comma.join(names["admission"][c] for c in sorted(allowed.categories))
        parts.append(_("Only: %(categories)s") % {"categories": what})
    if allowed.nationalities:
        country = Formatter(lang).country
        who = comma.join(
            names["country"].get(n) or country(n) for n in sorted(allowed.nationalities)
        )
        parts.append(_("Nationalities: %(countries)s") % {"countries": who})
    return "; ".join(parts) if lang != "ar" else "؛ ".join(parts)


def _passenger_wait(
    db: Session, crossing: Crossing, status: dict[Traffic, crossings.ClassView]
) -> int | None:
    if status[Traffic.PASSENGER].state == State.CLOSED:
        return None
    return travellers.estimated_passenger_wait(db, crossing)


def public_crossings(db: Session) -> list[PublicCrossing]:
    return [public_crossing(db, c) for c in crossings.list_crossings(db)]


@dataclass(frozen=True, slots=True)
class PublicPlace:
    """What the public page shows of a crossing besides its PublicCrossing (no ORM object is
    kept between requests)."""

    country: str
    neighbour_country: str
    timezone: str


def public_page_rows(db: Session) -> list[tuple[PublicPlace, PublicCrossing]]:
    return [
        (PublicPlace(c.country, c.neighbour_country, c.timezone), public_crossing(db, c))
        for c in crossings.list_crossings(db)
    ]


T = TypeVar("T")


class PublicAnswers:
    """Public answers (encoded API bodies, the public page's rows), computed at most once per
    `seconds` in each server process.

    The public status is what everyone refreshes when a crossing reopens, and each answer costs
    a dozen queries; an answer a few seconds old is what any public board shows. One request
    computes an expired answer while the others for the same key wait for it. `seconds=0`
    computes every answer afresh.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self._clock = seconds, clock
        self._answers: dict[str, tuple[float, Any]] = {}
        self._computing: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: str, compute: Callable[[], T]) -> tuple[T, float]:
        """The answer and its age in seconds (for Cache-Control)."""
        kept = self._fresh(key)
        if kept is not None:
            return kept
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            kept = self._fresh(key)
            if kept is not None:
                return kept
            started = self._clock()
            answer = compute()
            if self.seconds > 0:
                with self._lock:
                    self._answers[key] = (started, answer)
            return answer, 0.0

    def _fresh(self, key: str) -> tuple[Any, float] | None:
        with self._lock:
            kept = self._answers.get(key)
        if kept is None:
            return None
        age = self._clock() - kept[0]
        return (kept[1], age) if age < self.seconds else None
