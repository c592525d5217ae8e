"""Passenger movements and group arrivals end to end, over HTTP against a running server.

1. One movement per request: POST /crossings/{code}/movements with a TD3 MRZ, so each request
   is the whole booth path: token check, MRZ parse, screening against a watchlist of 1,000,000
   aliases, the traveller's row, the movement insert and its audit record, commit (fsync).
   Sequential requests from one client; p50/p99/max of the request time seen by the client.
2. One group-arrival call registering 1,500 persons, every one screened: total seconds.

Names are drawn from the same pools as the watchlist (bench/synthetic_people.py), so screening
does the work of a real regional list (many Mohammeds and Alis; some travellers are referred).

    PYTHONPATH=src python bench/movements.py --engine sqlite
    PYTHONPATH=src python bench/movements.py --engine postgresql \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Goals (issue 4): p99 <= 50 ms per movement; 1,500 persons <= 3 s.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scratch
from bench.load import MIX, permit_holder, record_permits
from bench.synthetic_people import FAMILY, GIVEN, synthetic_csv
from borderpost.app import create_app
from borderpost.auth import service as auth
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.config import Settings
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.migrations.run import upgrade
from borderpost.screening import service as screening
from borderpost.traveller.mrz import build_td3

PASSWORD = "bench-password-123"
CODE = "IQ-BENCH"


def prepare(db: Database, aliases: int) -> None:
    upgrade(db.engine)
    record_permits(db)
    with db.transaction() as s:
        for role in (Role.IMMIGRATION, Role.SECURITY):
            auth.create_user(
                s, username=role.value, password=PASSWORD, role=role, country="IRQ", actor=SYSTEM
            )
        crossings.create_crossing(
            s,
            code=CODE,
            name="Bench",
            country="IRQ",
            neighbour_country="SYR",
            counterpart_name="Bench",
            timezone="Asia/Baghdad",
            actor=SYSTEM,
        )
    t = time.perf_counter()
    data = synthetic_csv(aliases)
    with db.transaction() as s:
        watchlist = screening.create_watchlist(s, name="synthetic", source="bench", actor=SYSTEM)
        result = screening.import_watchlist(
            s, watchlist=watchlist, data=data, fmt="csv", filename=None, actor=SYSTEM
        )
    print(
        f"watchlist: {result.imported:,} entries ({aliases:,} aliases) imported in "
        f"{time.perf_counter() - t:.1f} s"
    )
    t = time.perf_counter()
    with db.transaction() as s:
        screening.screen_person(s, name="Warm Up")  # builds the name index once
    print(f"name index built in {time.perf_counter() - t:.1f} s")


class Server:
    def __init__(self, db: Database) -> None:
        settings = Settings(
            database_url=db.url, secret_key="bench-secret-" + "x" * 20, log_level="WARNING"
        )
        app = create_app(settings, database=db)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="error", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def token(http: httpx.Client, role: Role) -> dict[str, str]:
    r = http.post("/auth/token", data={"username": role.value, "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def pool_person(rng: random.Random) -> tuple[str, str]:
    """(given names, surname) from the watchlist's own name pools: the matcher's worst case,
    every name shares keys with thousands of listed aliases."""
    # Given name, father's and grandfather's names, family name: the usual four-part name.
    given = f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}"
    return given, rng.choice(FAMILY).replace("al-", "AL ")


def other_person(rng: random.Random) -> tuple[str, str]:
    """Names that share no key with the list: screening is a few lookups, the rest remains."""

    def word() -> str:
        return "".join(rng.choice("BCDFGKLMNPRSTVZ") + rng.choice("AEIOU") for _ in range(3))

    return f"{word()} {word()}", word()


NAMERS = {"list-pool names": pool_person, "names off the list": other_person}


def movement_mrz(rng: random.Random, n: int, namer) -> str:
    """bench/load.py's mix: Iraqi citizens, visa holders (recorded by `prepare`), a few
    foreigners with no visa (refused)."""
    given, surname = namer(rng)
    kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
    number = f"B{n:08d}"
    if kind == "citizen":
        nationality = "IRQ"
    elif kind == "visa":
        nationality, number = permit_holder(n)
    else:
        nationality = rng.choice(["SYR", "JOR"])
    return build_td3(
        issuing_state=nationality,
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=nationality,
        birth_date=date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        sex=rng.choice("MF"),
        expiry_date=date(2031, 1, 1),
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_movements(
    http: httpx.Client, count: int, rng: random.Random, label: str, offset: int
) -> None:
    headers = token(http, Role.IMMIGRATION)
    times: list[float] = []
    cpu: list[float] = []
    decisions: dict[str, int] = {}
    for n in range(count + 20):
        mrz = movement_mrz(rng, offset + n, NAMERS[label])
        body = {"direction": "entry", "mrz": mrz, "travel_mode": "car"}
        t, c = time.perf_counter(), time.process_time()
        r = http.post(f"/crossings/{CODE}/movements", json=body, headers=headers)
        elapsed = (time.perf_counter() - t) * 1000
        cpu_ms = (time.process_time() - c) * 1000
        if r.status_code != 201:
            raise SystemExit(f"movement failed: {r.status_code} {r.text}")
        if n >= 20:  # the first 20 warm the connection pools
            times.append(elapsed)
            cpu.append(cpu_ms)
            decision = r.json()["decision"]
            decisions[decision] = decisions.get(decision, 0) + 1
    print(
        f"movements, {label}: {count} requests; p50 {statistics.median(times):.1f} ms, "
        f"p99 {percentile(times, 99):.1f} ms, max {max(times):.1f} ms; decisions {decisions}; "
        f"CPU time of the bench process (client and server) p50 {statistics.median(cpu):.1f} ms, "
        f"p99 {percentile(cpu, 99):.1f} ms"
    )


def bench_group(
    http: httpx.Client, db: Database, persons: int, rng: random.Random, rounds: int, label: str
) -> None:
    headers = token(http, Role.SECURITY)
    totals: list[float] = []
    screening_only: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        group = http.post(
            f"/crossings/{CODE}/group-arrivals",
            json={
                "category": "surrendering_military",
                "description": "Bench",
                "arrived_at": "2024-12-07T08:00:00Z",
            },
            headers=headers,
        ).json()
        batch = []
        for _ in range(persons):
            given, surname = NAMERS[label](rng)
            batch.append(
                {
                    "surname": surname,
                    "given_names": given,
                    "birth_date": str(date(rng.randint(1970, 2005), rng.randint(1, 12), 15)),
                    "nationality": "SYR",
                    "rank": "Private",
                    "unit": "17th Division",
                    "items_surrendered": [{"kind": "weapon", "description": "AK-47 rifle"}],
                }
            )
        queries = [
            screening.PersonQuery(
                f"{p['given_names']} {p['surname']}", date.fromisoformat(p["birth_date"]), "SYR"
            )
            for p in batch
        ]
        with db.transaction() as session:
            t = time.perf_counter()
            screening.screen_people(session, queries)
            screening_only.append(time.perf_counter() - t)
        t, c = time.perf_counter(), time.process_time()
        r = http.post(
            f"/group-arrivals/{group['id']}/persons", json={"persons": batch}, headers=headers
        )
        totals.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        if r.status_code != 201:
            raise SystemExit(f"group registration failed: {r.status_code} {r.text[:500]}")
        matches = len(r.json()["possible_matches"])
    print(
        f"group arrival, {label}: {persons:,} persons in one call; "
        f"{' / '.join(f'{s:.2f}' for s in totals)} s (best {min(totals):.2f} s), of which "
        f"screen_people alone {min(screening_only):.2f} s; {matches} possible matches; "
        f"CPU time of the bench process per call {' / '.join(f'{s:.2f}' for s in cpu)} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--aliases", type=int, default=1_000_000)
    parser.add_argument("--movements", type=int, default=1000, help="per name kind, < 9,980")
    parser.add_argument("--skip-movements", action="store_true")
    parser.add_argument("--persons", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        url, pg_name = scratch.create(args.engine, args.postgres, Path(workdir), "bench")
        db = Database(url)
        try:
            print(f"engine: {args.engine}")
            prepare(db, args.aliases)
            server = Server(db)
            rng = random.Random(11)
            with httpx.Client(
                base_url=f"http://127.0.0.1:{server.port}/api/v1", timeout=60
            ) as http:
                for offset, label in enumerate(NAMERS):
                    if args.skip_movements:
                        break
                    bench_movements(http, args.movements, rng, label, offset * 10_000)
                for label in NAMERS:
                    bench_group(http, db, args.persons, rng, args.rounds, label)
            server.stop()
        finally:
            db.dispose()
            scratch.drop(args.postgres, pg_name)


if __name__ == "__main__":
    main()
