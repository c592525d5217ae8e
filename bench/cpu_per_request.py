"""Server CPU per request, by kind of request, as an outsider measures it (issue 16).

The server is `python -m borderpost serve --workers 1` in a process of its own on a scratch
database (bench/load.py's `Server`, `prepare` and request `Builder`); this process is the client,
and its own CPU is not counted. After a warm-up (the first movement builds the worker's name
index, untimed), it sends `--requests` sequential requests of each kind, one at a time over one
keep-alive connection:

- `healthz`: `GET /healthz`, the empty request (no database, no authentication): the floor;
- `read`: `GET /api/v1/crossings/{code}`, an authenticated crossing read;
- `movement`: `POST /api/v1/crossings/{code}/movements`, the entry of a traveller new to the
  crossing as bench/load.py builds it (a TD3 MRZ; 70 % Iraqi citizens, 25 % foreigners holding a
  visa recorded before the server starts, 5 % foreigners with none, refused; names half from the
  watchlist's own name pools); the outcome mix is printed after the table;
- `truck`: `POST /api/v1/crossings/{code}/trucks`, a truck arrival of `--items` items as
  bench/trucks.py builds them. Every `--queue` arrivals the measurement pauses and the trucks are
  called, inspected and released directly in the database (untimed), so the queue the estimate
  walks stays short and the same from run to run.

CPU is utime + stime of the server process and its children (from /proc/<pid>/stat, through
psutil), read before and after each batch and divided by the batch's requests; with `--rounds`
above 1 the kinds take turns batch by batch, so a change in the machine's load falls on all of
them alike. On PostgreSQL the CPU of the run's database backends (processes whose command line
names the scratch database) is reported apart. Every figure is also given as a multiple of the
healthz figure. Clock ticks are 10 ms: 300 requests of 1 ms each is 30 ticks, so expect a few per
cent of noise on the floor. The 1-minute load average is printed beside each figure: on a busy
shared machine CPU per request rises somewhat (caches, frequency), though much less than latency.

    PYTHONPATH=src:. python bench/cpu_per_request.py --engine sqlite --aliases 20000 --requests 300
    PYTHONPATH=src:. python bench/cpu_per_request.py --engine postgresql --aliases 20000 \
        --requests 300 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scratch  # noqa: E402
from bench.load import (  # noqa: E402
    CODE,
    DEFAULT_POSTGRES,
    PASSWORD,
    Builder,
    Request,
    Server,
    drain_trucks,
    prepare,
)
from borderpost.auth.permissions import Role  # noqa: E402

KINDS = ("healthz", "read", "movement", "truck")
EXPECTED = {"healthz": 200, "read": 200, "movement": 201, "truck": 201}
LABELS = {
    "healthz": "GET /healthz (floor)",
    "read": "GET /crossings/{code}",
    "movement": "POST /crossings/{code}/movements",
    "truck": "POST /crossings/{code}/trucks",
}


@dataclass
class Figure:
    """One kind's totals over all its batches."""

    kind: str
    count: int = 0
    server_cpu: float = 0.0  # seconds
    db_cpu: float = 0.0  # seconds, PostgreSQL backends
    wall: float = 0.0  # seconds, as the client saw it
    loads: list[float] = field(default_factory=list)  # 1-minute load average before each batch
    statuses: dict[str, int] = field(default_factory=dict)  # movement decisions, truck lanes

    def per_request_ms(self, seconds: float) -> float:
        return seconds * 1000 / self.count if self.count else float("nan")


@dataclass
class Result:
    engine: str
    aliases: int
    figures: dict[str, Figure]

    def multiple(self, kind: str) -> float:
        floor = self.figures["healthz"].server_cpu / max(self.figures["healthz"].count, 1)
        mine = self.figures[kind].server_cpu / max(self.figures[kind].count, 1)
        return mine / floor if floor else float("nan")


class Requests:
    """The four kinds of request, built fresh for each call (new travellers, new trucks)."""

    def __init__(self, tokens: dict[str, str], items: int) -> None:
        self.builder = Builder({"movement": tokens["movement"], "truck": tokens["truck"]}, items)
        self.read_headers = {"Authorization": f"Bearer {tokens['movement']}"}

    def make(self, kind: str) -> Request:
        if kind == "healthz":
            return Request(kind, "GET", "/healthz")
        if kind == "read":
            return Request(kind, "GET", f"/api/v1/crossings/{CODE}", None, self.read_headers)
        req = getattr(self.builder, kind)()
        return Request(kind, req.method, "/api/v1" + req.path, req.content, req.headers)


def send(http: httpx.Client, req: Request, timeout: float | None = None) -> httpx.Response:
    extra = {"timeout": timeout} if timeout else {}
    response = http.request(req.method, req.path, content=req.content, headers=req.headers, **extra)
    if response.status_code != EXPECTED[req.kind]:
        raise SystemExit(f"{req.kind}: {response.status_code} {response.text[:500]}")
    return response


def tokens(http: httpx.Client) -> dict[str, str]:
    found = {}
    for kind, role in (("movement", Role.IMMIGRATION), ("truck", Role.CUSTOMS)):
        r = http.post("/api/v1/auth/token", data={"username": role.value, "password": PASSWORD})
        r.raise_for_status()
        found[kind] = r.json()["access_token"]
    return found


def batch(
    http: httpx.Client, server: Server, requests: Requests, figure: Figure, count: int,
    url: str, queue: int,
) -> None:  # fmt: skip
    """`count` sequential requests of one kind, CPU read around each stretch between drains."""
    figure.loads.append(os.getloadavg()[0])
    done = 0
    while done < count:
        stretch = min(count - done, queue) if figure.kind == "truck" else count - done
        reqs = [requests.make(figure.kind) for _ in range(stretch)]  # built outside the count
        arrived: list[str] = []
        cpu0, db0, t0 = server.cpu_seconds(), server.db_cpu(), time.perf_counter()
        for req in reqs:
            response = send(http, req)
            if figure.kind in ("movement", "truck"):
                body = response.json()
                key = body["decision"] if figure.kind == "movement" else f"lane {body['lane']}"
                figure.statuses[key] = figure.statuses.get(key, 0) + 1
                if figure.kind == "truck":
                    arrived.append(body["id"])
        figure.wall += time.perf_counter() - t0
        figure.server_cpu += server.cpu_seconds() - cpu0
        figure.db_cpu += server.db_cpu_since(db0)
        figure.count += stretch
        done += stretch
        if arrived:
            drain_trucks(url, arrived)  # untimed; its own connections close before the next stretch
            time.sleep(0.2)  # let their backends exit so they are not counted as the server's


def measure(
    server: Server, url: str, args: argparse.Namespace, log: Callable[..., None]
) -> dict[str, Figure]:
    with httpx.Client(base_url=server.url, timeout=args.timeout) as http:
        requests = Requests(tokens(http), args.items)
        t = time.perf_counter()
        # The first movement builds the worker's name index: no time limit.
        send(http, requests.make("movement"), timeout=900)
        for _ in range(args.warmup):
            for kind in args.kinds:
                send(http, requests.make(kind))
        log(f"warm-up: {args.warmup} of each kind in {time.perf_counter() - t:.1f} s (untimed)")
        figures = {kind: Figure(kind) for kind in ("healthz", *args.kinds)}
        per_round = [args.requests // args.rounds] * args.rounds
        per_round[-1] += args.requests - sum(per_round)
        for count in per_round:
            for kind in figures:
                batch(http, server, requests, figures[kind], count, url, args.queue)
    return figures


# -------------------------------------------------------------------------------------- output
HEADER = (
    "| request | n | server CPU ms/request | × healthz | PostgreSQL CPU ms/request | "
    "wall ms/request | load 1m |"
)


def table(result: Result) -> list[str]:
    lines = [HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    for kind, f in result.figures.items():
        db = f"{f.per_request_ms(f.db_cpu):.2f}" if result.engine == "postgresql" else "—"
        loads = "–".join(f"{x:.1f}" for x in (min(f.loads), max(f.loads))) if f.loads else ""
        if f.loads and min(f.loads) == max(f.loads):
            loads = f"{f.loads[0]:.1f}"
        lines.append(
            f"| {LABELS[kind]} | {f.count} | {f.per_request_ms(f.server_cpu):.2f} | "
            f"{result.multiple(kind):.1f}× | {db} | {f.per_request_ms(f.wall):.2f} | {loads} |"
        )
    return lines


# ---------------------------------------------------------------------------------------- main
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--postgres", default=DEFAULT_POSTGRES, help="admin URL: a fresh database "
                   "is created there and dropped afterwards")  # fmt: skip
    p.add_argument("--aliases", type=int, default=100_000, help="watchlist size")
    p.add_argument("--requests", type=int, default=300, help="requests of each kind")
    p.add_argument("--rounds", type=int, default=1,
                   help="batches per kind, the kinds taking turns")  # fmt: skip
    p.add_argument("--warmup", type=int, default=20, help="untimed requests of each kind first")
    p.add_argument("--items", type=int, default=10, help="declaration items per truck")
    p.add_argument("--queue", type=int, default=25,
                   help="trucks sent before the queue is drained (untimed)")  # fmt: skip
    p.add_argument("--kinds", type=lambda s: [k for k in s.split(",") if k],
                   default=["read", "movement", "truck"],
                   help="besides healthz (always): read,movement,truck")  # fmt: skip
    p.add_argument("--timeout", type=float, default=60.0, help="per request, s")
    return p


def run(args: argparse.Namespace, log: Callable[..., None] = print) -> Result:
    args.kinds = [k for k in args.kinds if k != "healthz"]
    unknown = set(args.kinds) - set(KINDS)
    if unknown or args.requests < 1 or not 1 <= args.rounds <= args.requests:
        raise SystemExit(f"bad arguments: kinds {sorted(unknown)}, requests, rounds")
    log(
        f"engine {args.engine}, 1 server worker, {os.cpu_count()} cores, watchlist "
        f"{args.aliases:,} aliases, {args.requests} sequential requests of each kind in "
        f"{args.rounds} round(s), truck queue drained every {args.queue}, load average "
        f"{os.getloadavg()}"
    )
    with tempfile.TemporaryDirectory() as workdir:
        url, pg_name = scratch.create(args.engine, args.postgres, Path(workdir), "cpu")
        try:
            prepare(url, args.aliases, log)
            server = Server(url, 1, pg_name)
            try:
                figures = measure(server, url, args, log)
            finally:
                server.stop()
        finally:
            scratch.drop(args.postgres, pg_name)
    result = Result(args.engine, args.aliases, figures)
    for line in table(result):
        log(line)
    for f in figures.values():
        if f.statuses:
            log(f"{f.kind}: {dict(sorted(f.statuses.items()))}")
    log(f"load average at the end: {os.getloadavg()}")
    return result


def main() -> None:
    run(parser().parse_args(), log=lambda *a, **k: print(*a, **{"flush": True, **k}))


if __name__ == "__main__":
    main()
