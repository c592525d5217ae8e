"""Server CPU per registered person of a group arrival, at 100 and at 5,000 persons a call.

The server is `python -m borderpost serve --workers 1` in a process of its own on a scratch
database (bench/load.py's `Server` and `prepare`, plus a security officer, who registers groups).
Each call is `POST /api/v1/group-arrivals/{id}/persons` with a batch of new persons (names half
from the watchlist's own pools, as bench/load.py builds them; a birth date, a nationality, a rank,
a unit and a surrendered item each), to a group arrival opened beforehand (untimed). After an
untimed warm-up (the first call builds the worker's name index), the sizes take turns, `--rounds`
calls of each; the server's CPU (utime + stime, psutil) is read around each call and divided by
the persons in it. On PostgreSQL the database backends' CPU is given apart.

    PYTHONPATH=src:. python bench/groups.py --engine sqlite --aliases 20000
    PYTHONPATH=src:. python bench/groups.py --engine postgresql --aliases 20000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scratch  # noqa: E402
from bench.load import CODE, DEFAULT_POSTGRES, PASSWORD, Builder, Server, prepare  # noqa: E402
from borderpost.auth import service as auth  # noqa: E402
from borderpost.auth.permissions import Role  # noqa: E402
from borderpost.auth.service import SYSTEM  # noqa: E402
from borderpost.db import Database  # noqa: E402


def add_security_officer(url: str) -> None:
    db = Database(url)
    try:
        with db.transaction() as s:
            auth.create_user(
                s, username=Role.SECURITY.value, password=PASSWORD, role=Role.SECURITY,
                country="IRQ", actor=SYSTEM,
            )  # fmt: skip
    finally:
        db.dispose()


def persons(builder: Builder, count: int) -> bytes:
    rng = builder.rng
    batch = []
    for _ in range(count):
        given, surname = builder._names()
        batch.append(
            {
                "surname": surname,
                "given_names": given,
                "birth_date": date(rng.randint(1970, 2005), rng.randint(1, 12), 15).isoformat(),
                "nationality": rng.choice(["SYR", "SYR", "IRQ"]),
                "rank": "Private",
                "unit": "17th Division",
                "items_surrendered": [{"kind": "weapon", "description": "AK-47 rifle"}],
            }
        )
    return json.dumps({"persons": batch}).encode()


def new_group(http: httpx.Client, headers: dict[str, str]) -> str:
    r = http.post(
        f"/api/v1/crossings/{CODE}/group-arrivals",
        json={"category": "surrendering_military", "description": "Bench",
              "arrived_at": "2026-12-01T08:00:00Z"},
        headers=headers,
    )  # fmt: skip
    r.raise_for_status()
    return r.json()["id"]


def register(http: httpx.Client, headers: dict[str, str], group_id: str, body: bytes) -> dict:
    r = http.post(
        f"/api/v1/group-arrivals/{group_id}/persons",
        content=body,
        headers=headers | {"Content-Type": "application/json"},
        timeout=900,
    )
    if r.status_code != 201:
        raise SystemExit(f"registration: {r.status_code} {r.text[:500]}")
    return r.json()


def run(args: argparse.Namespace, log: Callable[..., None] = print) -> dict[int, dict[str, float]]:
    log(
        f"engine {args.engine}, 1 server worker, {os.cpu_count()} cores, watchlist "
        f"{args.aliases:,} aliases, sizes {args.sizes}, {args.rounds} call(s) of each, load "
        f"average {os.getloadavg()}"
    )
    totals = {n: {"calls": 0, "cpu": 0.0, "db": 0.0, "wall": 0.0, "matches": 0} for n in args.sizes}
    with tempfile.TemporaryDirectory() as workdir:
        url, pg_name = scratch.create(args.engine, args.postgres, Path(workdir), "groups")
        try:
            prepare(url, args.aliases, log)
            add_security_officer(url)
            server = Server(url, 1, pg_name)
            try:
                with httpx.Client(base_url=server.url, timeout=120) as http:
                    r = http.post(
                        "/api/v1/auth/token",
                        data={"username": Role.SECURITY.value, "password": PASSWORD},
                    )
                    r.raise_for_status()
                    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
                    builder = Builder({"movement": "", "truck": ""}, 1)
                    builder.rng = random.Random(23)
                    t = time.perf_counter()
                    register(http, headers, new_group(http, headers), persons(builder, 100))
                    log(f"warm-up: 100 persons in {time.perf_counter() - t:.1f} s (untimed)")
                    for _ in range(args.rounds):
                        for n in args.sizes:
                            group_id, body = new_group(http, headers), persons(builder, n)
                            cpu0, db0 = server.cpu_seconds(), server.db_cpu()
                            t = time.perf_counter()
                            answer = register(http, headers, group_id, body)
                            figure = totals[n]
                            figure["wall"] += time.perf_counter() - t
                            figure["cpu"] += server.cpu_seconds() - cpu0
                            figure["db"] += server.db_cpu_since(db0)
                            figure["calls"] += 1
                            figure["matches"] += len(answer["possible_matches"])
                            assert answer["registered"] == n
            finally:
                server.stop()
        finally:
            scratch.drop(args.postgres, pg_name)
    log(
        "| persons per call | calls | server CPU ms/person | server CPU s/call | "
        "PostgreSQL CPU ms/person | wall s/call | possible matches/call |"
    )
    log("|---|---|---|---|---|---|---|")
    for n, f in totals.items():
        calls = f["calls"]
        db = f"{f['db'] * 1000 / (n * calls):.3f}" if args.engine == "postgresql" else "—"
        log(
            f"| {n:,} | {calls} | {f['cpu'] * 1000 / (n * calls):.3f} | {f['cpu'] / calls:.2f} | "
            f"{db} | {f['wall'] / calls:.2f} | {f['matches'] / calls:.0f} |"
        )
    log(f"load average at the end: {os.getloadavg()}")
    return totals


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--postgres", default=DEFAULT_POSTGRES)
    p.add_argument("--aliases", type=int, default=20_000, help="watchlist size")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[100, 5000])
    p.add_argument("--rounds", type=int, default=3, help="calls of each size")
    return p


def main() -> None:
    run(parser().parse_args(), log=lambda *a, **k: print(*a, **{"flush": True, **k}))


if __name__ == "__main__":
    main()
