"""What the public sees: state per traffic class, waits, the latest statement. No personal data."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from borderpost.cargo import queue_service
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Crossing, TrafficStatus
from borderpost.crossing.rules import State, Traffic
from borderpost.report.schemas import (
    PublicClassStatus,
    PublicCrossing,
    PublicStatement,
    PublicStatus,
    PublicWaits,
)
from borderpost.traveller import service as travellers


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
            **{t.value: PublicClassStatus(state=s.state, since=s.since) for t, s in status.items()}
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


def _passenger_wait(
    db: Session, crossing: Crossing, status: dict[Traffic, TrafficStatus]
) -> int | None:
    if status[Traffic.PASSENGER].state == State.CLOSED:
        return None
    return travellers.estimated_passenger_wait(db, crossing)


def public_crossings(db: Session) -> list[PublicCrossing]:
    return [public_crossing(db, c) for c in crossings.list_crossings(db)]


class PublicAnswers:
    """Encoded public answers, computed at most once per `seconds` in each server process.

    The public status is what everyone refreshes when a crossing reopens, and each answer costs
    a dozen queries; an answer a few seconds old is what any public board shows. One request
    computes an expired answer while the others for the same key wait for it. `seconds=0`
    computes every answer afresh.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self._clock = seconds, clock
        self._answers: dict[str, tuple[float, bytes]] = {}
        self._computing: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: str, compute: Callable[[], bytes]) -> tuple[bytes, float]:
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

    def _fresh(self, key: str) -> tuple[bytes, float] | None:
        with self._lock:
            kept = self._answers.get(key)
        if kept is None:
            return None
        age = self._clock() - kept[0]
        return (kept[1], age) if age < self.seconds else None
