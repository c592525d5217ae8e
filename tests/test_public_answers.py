"""The public status API answers from a short-lived cache: at most one computation per period."""

from __future__ import annotations

import threading
import time

import httpx

from borderpost.auth.service import SYSTEM
from borderpost.crossing import service as crossings
from borderpost.crossing.rules import ReasonCategory, State, Traffic
from borderpost.db import Database
from borderpost.report.public import PublicAnswers
from tests.conftest import LiveServer, unique_code


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_computed_once_per_period():
    clock, calls = Clock(), []

    def compute() -> bytes:
        calls.append(clock.now)
        return str(len(calls)).encode()

    answers = PublicAnswers(5, clock)
    assert answers.get("*", compute) == (b"1", 0.0)
    clock.now += 4.9
    body, age = answers.get("*", compute)
    assert body == b"1" and abs(age - 4.9) < 1e-9, "still fresh, and its age is known"
    assert answers.get("IQ-X", compute) == (b"2", 0.0), "each key is its own answer"
    clock.now += 0.2
    assert answers.get("*", compute) == (b"3", 0.0), "five seconds old: computed again"
    assert calls == [1000.0, 1004.9, 1005.1]


def test_one_request_computes_an_expired_answer_while_the_others_wait():
    answers, calls, started = PublicAnswers(60), [], threading.Event()

    def slow() -> bytes:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return b"x"

    results: list[bytes] = []
    first = threading.Thread(target=lambda: results.append(answers.get("*", slow)[0]))
    first.start()
    started.wait(5)
    others = [
        threading.Thread(target=lambda: results.append(answers.get("*", slow)[0])) for _ in range(4)
    ]
    for t in [*others]:
        t.start()
    for t in [first, *others]:
        t.join()
    assert results == [b"x"] * 5 and len(calls) == 1


def test_zero_seconds_computes_every_answer():
    answers, calls = PublicAnswers(0), []
    for _ in range(3):
        assert answers.get("*", lambda: calls.append(1) or b"x") == (b"x", 0.0)
    assert len(calls) == 3


def test_the_api_serves_the_kept_answer_until_it_is_too_old(database: Database):
    code = unique_code("PC")
    with database.transaction() as s:
        crossings.create_crossing(
            s,
            code=code,
            name="Cache",
            country="IRQ",
            neighbour_country="SYR",
            counterpart_name="Other side",
            timezone="Asia/Baghdad",
            actor=SYSTEM,
        )
    clock = Clock()
    server = LiveServer(database)
    server.app.state.public_answers = PublicAnswers(30, clock)
    try:
        client = httpx.Client(base_url=server.url)
        first = client.get(f"/api/v1/public/crossings/{code}")
        assert first.status_code == 200
        assert first.headers["cache-control"] == "public, max-age=30"
        clock.now += 12
        kept = client.get(f"/api/v1/public/crossings/{code}")
        assert kept.headers["cache-control"] == "public, max-age=18", "what is left of 30 s"
        assert first.json()["status"]["cargo"]["state"] == "open"
        with database.transaction() as s:
            crossings.change_status(
                s,
                crossing=crossings.get_crossing(s, code),
                traffic=[Traffic.CARGO],
                state=State.CLOSED,
                reason_category=ReasonCategory.WEATHER,
                reason="Sandstorm",
                assessment_id=None,
                actor=SYSTEM,
            )
        assert client.get(f"/api/v1/public/crossings/{code}").json() == first.json()
        clock.now += 18
        again = client.get(f"/api/v1/public/crossings/{code}").json()
        assert again["status"]["cargo"]["state"] == "closed"
        listed = client.get("/api/v1/public/crossings").json()
        assert {c["code"]: c["status"]["cargo"]["state"] for c in listed}[code] == "closed"
        assert client.get("/api/v1/public/crossings/NO-SUCH").status_code == 404
    finally:
        server.stop()


def test_the_public_page_is_kept_like_the_public_api(database: Database):
    """40 clients reloading `/` recomputed every crossing's status, waits and statement each
    time; now the page's rows are computed once per period, like the API's answers."""
    code = unique_code("PP")
    with database.transaction() as s:
        crossings.create_crossing(
            s,
            code=code,
            name="Page cache",
            country="IRQ",
            neighbour_country="SYR",
            counterpart_name="Other side",
            timezone="Asia/Baghdad",
            actor=SYSTEM,
        )
    clock = Clock()
    server = LiveServer(database)
    server.app.state.public_answers = PublicAnswers(30, clock)

    def cargo_state(html: str) -> str:
        article = html.split(f'data-code="{code}"', 1)[1]
        return article.split('data-traffic="cargo" data-state="', 1)[1].split('"', 1)[0]

    try:
        client = httpx.Client(base_url=server.url)
        assert cargo_state(client.get("/").text) == "open"
        with database.transaction() as s:
            crossings.change_status(
                s,
                crossing=crossings.get_crossing(s, code),
                traffic=[Traffic.CARGO],
                state=State.CLOSED,
                reason_category=ReasonCategory.WEATHER,
                reason="Sandstorm",
                assessment_id=None,
                actor=SYSTEM,
            )
        clock.now += 10
        kept = client.get("/", params={"lang": "ar"})
        assert kept.status_code == 200 and 'dir="rtl"' in kept.text, "still rendered per language"
        assert cargo_state(kept.text) == "open", "the kept rows, not recomputed"
        clock.now += 25
        assert cargo_state(client.get("/").text) == "closed"
    finally:
        server.stop()
