"""What the scope guard adds to a crossing-scoped request: the one query of the edge
(scoping.check_route) beside the crossing look-up every such route makes anyway.

    PYTHONPATH=src .venv/bin/python bench/scope_check.py [--engine sqlite|postgresql] [-n 3000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench import scratch
from borderpost.auth import service as auth
from borderpost.auth import users
from borderpost.auth.permissions import Permission, Role
from borderpost.auth.service import SYSTEM
from borderpost.crossing import service as crossings
from borderpost.db import Database
from borderpost.migrations.run import upgrade
from borderpost.scoping import check_route


def per_call(db: Database, work, n: int) -> float:
    """Median of 5 rounds, microseconds per call, each in its own read session."""
    rounds = []
    for _ in range(5):
        with db.reader() as s:
            start = time.perf_counter()
            for _ in range(n):
                work(s)
            rounds.append((time.perf_counter() - start) / n * 1e6)
            s.rollback()
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("-n", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        url, name = scratch.create(args.engine, args.postgres, Path(work), "scope")
        db = Database(url)
        try:
            upgrade(db.engine)
            with db.transaction() as s:
                for i in range(20):
                    crossings.create_crossing(
                        s, code=f"IQ-B{i:02d}", name="b", country="IRQ", neighbour_country="SYR",
                        counterpart_name="c", timezone="Asia/Baghdad", actor=SYSTEM,
                    )  # fmt: skip
                officer = users.create_user(
                    s, username="bench.officer", password="bench-pass-phrase-77",
                    role=Role.IMMIGRATION, country="IRQ", crossings=["IQ-B03", "IQ-B07"],
                    actor=SYSTEM,
                )  # fmt: skip
                actor = auth.actor_of(officer)
            params = {"code": "IQ-B07"}
            guard = per_call(
                db, lambda s: check_route(s, actor, Permission.MOVEMENT_WRITE, params), args.n
            )
            lookup = per_call(db, lambda s: crossings.get_crossing(s, "IQ-B07"), args.n)
            print(f"{args.engine}: scope check {guard:.0f} µs per request; "
                  f"the route's own crossing look-up {lookup:.0f} µs")  # fmt: skip
        finally:
            db.dispose()
            scratch.drop(args.postgres, name)


if __name__ == "__main__":
    main()
