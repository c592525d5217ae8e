"""Mixed load over HTTP against a served Borderpost, stepping up the rate until p99 passes a limit.

The server is `python -m borderpost serve --workers N` in a process of its own (BORDERPOST_* env,
as bench/crash.py starts it); this process is the load generator, an asyncio httpx client that
only talks to 127.0.0.1. Each step offers open-loop (Poisson) arrivals at a target total rate for
a fixed time, mixed by `--mix`:

- passenger movements, `POST /crossings/{code}/movements` with a TD3 MRZ of a traveller new to
  the crossing (so every one is decided, never 409), entries at an Iraqi crossing as the booths
  see them (`MIX`): 70 % Iraqi citizens (admitted, or referred on a watchlist match), 25 % Syrians
  and Jordanians who hold an Iraqi visa recorded in `prepare` (admitted on it; half the visas are
  single-entry and used up by the entry), 5 % foreigners with no visa (refused by the rules of
  admission); names half from the watchlist's own pools (bench/synthetic_people.py: screening's
  hard case) and half off the list;
- truck arrivals, `POST /crossings/{code}/trucks` with a declaration of `--items` items and the
  driver's MRZ (bodies as bench/trucks.py builds them);
- public status reads, `GET /public/crossings`.

Latency is measured from each request's scheduled arrival time (so a client that falls behind
shows up as latency, not as a lower offered rate). Bodies are built before each step. A step is
held when p99 over all requests <= `--p99-limit` ms and every request sent got its answer (any
status other than 201/201/200, or a timeout, is an error; latency counts from the scheduled
time, so a client that falls behind shows in p99); stepping
stops at the first step that is not held. Between steps, untimed, the trucks that arrived are
called, inspected when their lane needs it, and released directly in the database, so the queue
does not grow from step to step.

Then, with the same client, closed-loop maximum throughput: `GET /public/crossings` (the
framework's floor: routing, middleware, one small read, JSON) and movements alone.

The watchlist (`--aliases`, 10,000 by default; 1,000,000 is the full size) is imported before the
server starts; each worker builds its name index during the warm-up, which is not timed.
The machine may be shared: the 1-minute load average is printed beside every step.

    PYTHONPATH=src:. python bench/load.py --engine sqlite
    PYTHONPATH=src:. python bench/load.py --engine postgresql \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Goal (issue 7): movements >= 500/s sustained on PostgreSQL on a 2-core machine, zero errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import psutil
from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scratch  # noqa: E402
from bench.synthetic_people import FAMILY, GIVEN, synthetic_csv  # noqa: E402
from bench.trucks import body as truck_body  # noqa: E402
from borderpost.auth import service as auth  # noqa: E402
from borderpost.auth.permissions import Role  # noqa: E402
from borderpost.auth.service import SYSTEM  # noqa: E402
from borderpost.crossing import service as crossings  # noqa: E402
from borderpost.db import Database  # noqa: E402
from borderpost.migrations.run import upgrade  # noqa: E402
from borderpost.screening import service as screening  # noqa: E402
from borderpost.traveller.mrz import build_td3  # noqa: E402

CODE = "IQ-LOAD"
PASSWORD = "load-bench-password-1"
SECRET = "load-bench-secret-" + "x" * 20
KINDS = ("movement", "truck", "public")
EXPECTED = {"movement": 201, "truck": 201, "public": 200}
DEFAULT_STEPS = "25,50,75,100,150,200,300,400,500,600,800"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# The nationalities of the movements: Iraqi citizens, visa holders, foreigners with no visa.
MIX = {"citizen": 0.70, "visa": 0.25, "no visa": 0.05}
PERMIT_HOLDERS = 20_000  # visas recorded by `prepare`; the builder's holders cycle through them


def permit_holder(k: int) -> tuple[str, str]:
    """(nationality, document number) of the k-th visa holder; the document's state is theirs."""
    k %= PERMIT_HOLDERS
    return ("SYR", "JOR")[k % 2], f"V{k:08d}"


def record_permits(db: Database, holders: int = PERMIT_HOLDERS) -> None:
    """Iraqi e-visas of the builder's foreign travellers, valid through the run: one insert."""
    from borderpost.admission.models import Permit
    from borderpost.ids import new_id

    at = datetime.now(UTC)
    rows = []
    for k in range(holders):
        nationality, number = permit_holder(k)
        rows.append(
            {
                "id": new_id(), "kind": "visa", "number": f"EV-{k:08d}", "issuing_state": "IRQ",
                "holder_document_number": number, "holder_issuing_state": nationality,
                "holder_nationality": nationality, "surname": "HOLDER", "given_names": str(k),
                "birth_date": None, "valid_from": date(2020, 1, 1),
                "valid_until": date(2099, 12, 31), "stay_days": 60,
                "entries": "single" if k % 4 < 2 else "multiple",
                "created_at": at, "created_by": SYSTEM.label,
            }
        )  # fmt: skip
    with db.transaction() as s:
        s.execute(insert(Permit), rows)


def prepare(url: str, aliases: int, log=print) -> None:
    """Schema, an immigration and a customs user, the crossing, the watchlist, the visas of the
    foreign travellers (untimed)."""
    db = Database(url)
    try:
        upgrade(db.engine)
        record_permits(db)
        with db.transaction() as s:
            for role in (Role.IMMIGRATION, Role.CUSTOMS):
                auth.create_user(
                    s, username=role.value, password=PASSWORD, role=role, country="IRQ",
                    actor=SYSTEM,
                )  # fmt: skip
            crossings.create_crossing(
                s, code=CODE, name="Load", country="IRQ", neighbour_country="SYR",
                counterpart_name="Load", timezone="Asia/Baghdad", actor=SYSTEM,
            )  # fmt: skip
        t = time.perf_counter()
        with db.transaction() as s:
            watchlist = screening.create_watchlist(s, name="synthetic", source="load", actor=SYSTEM)
            result = screening.import_watchlist(
                s, watchlist=watchlist, data=synthetic_csv(aliases), fmt="csv", filename=None,
                actor=SYSTEM,
            )  # fmt: skip
        log(
            f"watchlist: {result.imported:,} listed people ({aliases:,} aliases) imported in "
            f"{time.perf_counter() - t:.1f} s (untimed)"
        )
    finally:
        db.dispose()


def drain_trucks(url: str, truck_ids: list[str]) -> float:
    """Call, inspect if needed, and release the trucks that arrived (untimed, between steps)."""
    from bench.trucks import serve
    from borderpost.cargo.models import TruckVisit

    if not truck_ids:
        return 0.0
    t = time.perf_counter()
    db = Database(url)
    try:
        with db.reader() as s:
            queued = set(
                s.scalars(
                    select(TruckVisit.id).where(
                        TruckVisit.id.in_(truck_ids), TruckVisit.state == "queued"
                    )
                )
            )
        for truck_id in truck_ids:
            if truck_id in queued:
                serve(db, truck_id)
    finally:
        db.dispose()
    truck_ids.clear()
    return time.perf_counter() - t


# -------------------------------------------------------------------------------------- server
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`python -m borderpost serve --workers N` in a process of its own (this worktree's code)."""

    def __init__(self, url: str, workers: int, db_name: str | None = None) -> None:
        self.db_name = db_name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = os.environ | {
            "BORDERPOST_DATABASE_URL": url,
            "BORDERPOST_SECRET_KEY": SECRET,
            "BORDERPOST_LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
            ),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "borderpost", "serve", "--port", str(self.port),
             "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() ends the workers too
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/api/v1/public/crossings", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        self.ps = psutil.Process(self.process.pid)

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its worker processes so far."""
        total = 0.0
        for p in [self.ps, *self.ps.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
        return total

    def db_cpu(self) -> dict[int, float]:
        """CPU so far of this run's PostgreSQL backends (their command line names the database),
        by process id."""
        found: dict[int, float] = {}
        if not self.db_name:
            return found
        for p in psutil.process_iter(["cmdline"]):
            try:
                if any(self.db_name in part for part in p.info["cmdline"] or ()):
                    t = p.cpu_times()
                    found[p.pid] = t.user + t.system
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return found

    def db_cpu_since(self, before: dict[int, float]) -> float:
        """PostgreSQL CPU seconds since `before` (a lower bound: backends that exited meanwhile,
        pool overflow connections, are not counted)."""
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in self.db_cpu().items())

    def stop(self) -> None:
        """SIGTERM to the server's process group (parent and workers), SIGKILL after 20 s: a
        worker busy building its name index must not be left behind, orphaned."""
        group = self.process.pid  # the group's id: the server leads its own session
        try:
            os.killpg(group, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)  # anyone left in the group?
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        self.process.wait()


# ------------------------------------------------------------------------------------ requests
@dataclass
class Request:
    kind: str
    method: str
    path: str
    content: bytes | None = None
    headers: dict[str, str] | None = None


class Builder:
    """Request bodies: unique travellers, unique declarations, deterministic for a seed."""

    def __init__(self, tokens: dict[str, str], items: int, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.items = items
        self.n = 0
        self.holders = 0  # visa holders used so far (each one's entry is their first)
        self.headers = {
            kind: {"Authorization": f"Bearer {tokens[kind]}", "Content-Type": "application/json"}
            for kind in ("movement", "truck")
        }

    def _names(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.5:  # from the watchlist's own pools: many share keys with the list
            given = f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}"
            return given, rng.choice(FAMILY).replace("al-", "AL ")

        def word() -> str:
            return "".join(rng.choice("BCDFGKLMNPRSTVZ") + rng.choice("AEIOU") for _ in range(3))

        return f"{word()} {word()}", word()

    def movement(self) -> Request:
        self.n += 1
        rng = self.rng
        given, surname = self._names()
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        number = f"L{self.n:08d}"
        if kind == "citizen":
            nationality = "IRQ"
        elif kind == "visa":
            nationality, number = permit_holder(self.holders)
            self.holders += 1
        else:
            nationality = rng.choice(["SYR", "JOR"])
        mrz = build_td3(
            issuing_state=nationality,
            surname=surname,
            given_names=given,
            document_number=number,
            nationality=nationality,
            birth_date=date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
            sex=rng.choice("MF"),
            expiry_date=date(2031, 1, 1),
        )
        content = json.dumps(
            {"direction": "entry", "mrz": mrz, "travel_mode": rng.choice(["foot", "car", "bus"])}
        ).encode()
        return Request(
            "movement", "POST", f"/crossings/{CODE}/movements", content, self.headers["movement"]
        )

    def truck(self) -> Request:
        self.n += 1
        raw = json.loads(truck_body(self.rng, self.n, self.items))
        raw["plate"] = f"LD-{self.n:07d}"  # unique: no truck is already at the crossing
        return Request(
            "truck", "POST", f"/crossings/{CODE}/trucks", json.dumps(raw).encode(),
            self.headers["truck"],
        )  # fmt: skip

    def public(self) -> Request:
        return Request("public", "GET", "/public/crossings")

    def mixed(self, count: int, mix: dict[str, float]) -> list[Request]:
        kinds = self.rng.choices(list(mix), weights=list(mix.values()), k=count)
        return [getattr(self, kind)() for kind in kinds]


# -------------------------------------------------------------------------------------- results
def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Step:
    offered: float
    seconds: float
    load_before: float
    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, int] = field(default_factory=dict)  # "kind status" -> count
    decisions: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    server_cpu: float = 0.0
    db_cpu: float = 0.0
    client_cpu: float = 0.0
    steal: float = float("nan")  # share of the machine's CPU time taken by its host
    max_dispatch_lag_ms: float = 0.0
    truck_ids: list[str] = field(default_factory=list)

    @property
    def ok_count(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def achieved(self) -> float:
        return self.ok_count / self.wall if self.wall else 0.0

    def rate(self, kind: str) -> float:
        return len(self.latencies[kind]) / self.wall if self.wall else 0.0

    def p(self, q: float, kind: str | None = None) -> float:
        values = self.latencies[kind] if kind else [v for vs in self.latencies.values() for v in vs]
        return percentile(values, q)

    def cpu_ms(self, seconds: float) -> float:
        """CPU milliseconds per successful request."""
        return seconds * 1000 / self.ok_count if self.ok_count else float("nan")

    def held(self, limit_ms: float) -> bool:
        # Every request sent was answered in time. (Comparing the achieved rate with the nominal
        # one would fail steps at random: Poisson arrivals of 250 requests spread over 10 s +- 6%.)
        # Latency runs from each request's scheduled time, so a client that falls behind shows
        # in p99.
        return (
            self.error_count == 0
            and self.ok_count == sum(self.sent.values())
            and self.p(99) <= limit_ms
        )


@dataclass
class ClosedLoop:
    kind: str
    concurrency: int
    count: int
    errors: int
    seconds: float
    latencies: list[float]
    server_cpu: float
    db_cpu: float
    load_before: float

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


@dataclass
class Result:
    engine: str
    workers: int
    aliases: int
    mix: dict[str, float]
    cores: int
    steps: list[Step] = field(default_factory=list)
    closed: list[ClosedLoop] = field(default_factory=list)
    limit_ms: float = 100.0

    @property
    def held(self) -> Step | None:
        held = [s for s in self.steps if s.held(self.limit_ms)]
        return held[-1] if held else None


# --------------------------------------------------------------------------------------- client
# aiohttp, not httpx, drives the load: it costs the client a fraction of the CPU per request, and
# on a 2-core machine the client's CPU is taken from the server.
@dataclass(slots=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    def __init__(self, base: str, connections: int, timeout: float) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections, limit_per_host=connections),
            timeout=aiohttp.ClientTimeout(total=timeout),
        )

    async def send(self, req: Request, timeout: float | None = None) -> Answer:
        extra = {"timeout": aiohttp.ClientTimeout(total=timeout)} if timeout else {}
        async with self.session.request(
            req.method, self.base + req.path, data=req.content, headers=req.headers, **extra
        ) as response:
            return Answer(response.status, await response.read())

    async def close(self) -> None:
        await self.session.close()


def record(step: Step, req: Request, response: Answer | None, ms: float, why: str) -> None:
    if response is not None and response.status == EXPECTED[req.kind]:
        step.latencies[req.kind].append(ms)
        if req.kind == "movement":
            decision = response.json()["decision"]
            step.decisions[decision] = step.decisions.get(decision, 0) + 1
        elif req.kind == "truck":
            step.truck_ids.append(response.json()["id"])
        return
    key = f"{req.kind} {response.status if response is not None else why}"
    step.errors[key] = step.errors.get(key, 0) + 1
    if step.error_count <= 3 and response is not None:
        print(f"  error: {req.kind} {response.status} {response.body[:300]!r}", flush=True)


async def open_loop(
    http: Client, step: Step, requests: list[Request], rng: random.Random,
    timeout: float,
) -> None:  # fmt: skip
    """Send `requests` at Poisson arrival times of mean rate step.offered; wait for all."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    at = start
    tasks = []

    async def one(req: Request, scheduled: float) -> None:
        step.max_dispatch_lag_ms = max(step.max_dispatch_lag_ms, (loop.time() - scheduled) * 1000)
        response, why = None, ""
        try:
            response = await asyncio.wait_for(http.send(req), timeout)
        except TimeoutError:
            why = "timeout"
        except aiohttp.ClientError as exc:
            why = type(exc).__name__
        record(step, req, response, (loop.time() - scheduled) * 1000, why)

    for req in requests:
        step.sent[req.kind] += 1
        delay = at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(req, at)))
        at += rng.expovariate(step.offered)
    await asyncio.gather(*tasks)
    step.wall = max(loop.time() - start, step.seconds)


async def closed_loop(
    http: Client, make, concurrency: int, seconds: float
) -> tuple[int, int, float, list[float]]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    latencies: list[float] = []
    errors = 0

    async def worker() -> None:
        nonlocal errors
        while loop.time() < deadline:
            req = make()
            t = loop.time()
            try:
                response = await http.send(req)
                ok = response.status == EXPECTED[req.kind]
            except (aiohttp.ClientError, TimeoutError):
                ok = False
            if ok:
                latencies.append((loop.time() - t) * 1000)
            else:
                errors += 1

    t0 = loop.time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(latencies), errors, loop.time() - t0, latencies


async def drive(server: Server, url: str, args: argparse.Namespace, result: Result, log) -> None:
    http = Client(f"{server.url}/api/v1", args.connections, args.timeout)
    try:
        await _drive(http, server, url, args, result, log)
    finally:
        await http.close()


async def _drive(
    http: Client, server: Server, url: str, args: argparse.Namespace, result: Result, log
) -> None:
    tokens = {}
    for kind, role in (("movement", Role.IMMIGRATION), ("truck", Role.CUSTOMS)):
        async with http.session.post(
            http.base + "/auth/token", data={"username": role.value, "password": PASSWORD}
        ) as r:
            r.raise_for_status()
            tokens[kind] = (await r.json())["access_token"]
    builder = Builder(tokens, args.items)
    rng = random.Random(5)

    # Warm-up (untimed): every worker builds its name index and opens its pool connections.
    t = time.perf_counter()
    for _ in range(args.warmup_rounds):
        batch = builder.mixed(8 * result.workers, result.mix)
        # the first requests build each worker's name index: no time limit
        responses = await asyncio.gather(*(http.send(q, timeout=900) for q in batch))
        bad = [r for r in responses if r.status >= 300]
        if bad:
            raise SystemExit(f"warm-up failed: {bad[0].status} {bad[0].body[:500]!r}")
    log(f"warm-up: {args.warmup_rounds} rounds in {time.perf_counter() - t:.1f} s (untimed)")

    for rate in args.steps:
        count = max(1, round(rate * args.seconds_per_step))
        requests = builder.mixed(count, result.mix)
        step = Step(rate, args.seconds_per_step, os.getloadavg()[0])
        cpu0, dcpu0, ccpu0 = server.cpu_seconds(), server.db_cpu(), time.process_time()
        ticks0 = cpu_ticks()
        await open_loop(http, step, requests, rng, args.timeout)
        step.steal = steal_share(ticks0, cpu_ticks())
        step.server_cpu = server.cpu_seconds() - cpu0
        step.db_cpu = server.db_cpu_since(dcpu0)
        step.client_cpu = time.process_time() - ccpu0
        result.steps.append(step)
        log(step_line(step, result.limit_ms), flush=True)
        drained = drain_trucks(url, step.truck_ids)
        if not step.held(result.limit_ms) and not (
            args.keep_going and step.error_count == 0 and step.achieved >= 0.8 * step.offered
        ):
            break
        if drained:
            log(f"  (released the step's trucks in {drained:.1f} s, untimed)")

    for kind, make in (("public", builder.public), ("movement", builder.movement)):
        if kind not in args.closed:
            continue
        load = os.getloadavg()[0]
        cpu0, dcpu0, ticks0 = server.cpu_seconds(), server.db_cpu(), cpu_ticks()
        n, errors, seconds, latencies = await closed_loop(
            http, make, args.concurrency, args.closed_seconds
        )
        c = ClosedLoop(
            kind, args.concurrency, n, errors, seconds, latencies,
            server.cpu_seconds() - cpu0, server.db_cpu_since(dcpu0), load,
        )  # fmt: skip
        result.closed.append(c)
        log(
            f"closed loop {kind}: {c.throughput:.0f}/s with {c.concurrency} in flight, "
            f"p50 {percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, "
            f"errors {errors}, server CPU {c.server_cpu / seconds:.2f} cores "
            f"({c.server_cpu * 1000 / max(n, 1):.1f} ms/request), PostgreSQL CPU "
            f"{c.db_cpu * 1000 / max(n, 1):.1f} ms/request, "
            f"load {load:.2f}, steal {steal_share(ticks0, cpu_ticks()):.0%}",
            flush=True,
        )


def cpu_ticks() -> list[int] | None:
    """The machine's CPU time by state (/proc/stat), or None where there is no such file."""
    try:
        with open("/proc/stat") as f:
            return [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return None


def steal_share(before: list[int] | None, after: list[int] | None) -> float:
    """On a virtual machine, the share of CPU time its host gave to others (the 8th field)."""
    if not before or not after or len(before) < 8:
        return float("nan")
    total = sum(after) - sum(before)
    return (after[7] - before[7]) / total if total else float("nan")


# -------------------------------------------------------------------------------------- output
HEADER = (
    "| offered/s | achieved/s | movements/s | all p50 | all p99 | movement p50/p99 | "
    "truck p50/p99 | public p50/p99 | errors | server CPU cores (ms/req) | PostgreSQL CPU ms/req | "
    "client CPU cores | load 1m | steal | held |"
)


def step_line(s: Step, limit_ms: float) -> str:
    def pair(kind: str) -> str:
        return f"{s.p(50, kind):.0f} / {s.p(99, kind):.0f}"

    return (
        f"| {s.offered:.0f} | {s.achieved:.0f} | {s.rate('movement'):.0f} | {s.p(50):.0f} | "
        f"{s.p(99):.0f} | {pair('movement')} | {pair('truck')} | {pair('public')} | "
        f"{s.error_count}{' ' + str(s.errors) if s.errors else ''} | "
        f"{s.server_cpu / s.wall:.2f} ({s.cpu_ms(s.server_cpu):.1f}) | {s.cpu_ms(s.db_cpu):.1f} | "
        f"{s.client_cpu / s.wall:.2f} | {s.load_before:.2f} | {s.steal:.0%} | "
        f"{'yes' if s.held(limit_ms) else 'NO'} |"
    )


def summary(result: Result) -> str:
    lines = []
    best = result.held
    if best is None:
        lines.append(f"no step held (p99 <= {result.limit_ms:.0f} ms, no errors)")
    else:
        lines.append(
            f"highest step held: {best.offered:.0f} requests/s offered, {best.achieved:.0f}/s "
            f"achieved ({best.rate('movement'):.0f} movements/s, {best.rate('truck'):.0f} "
            f"trucks/s, {best.rate('public'):.0f} public reads/s); p50 {best.p(50):.1f} ms, "
            f"p99 {best.p(99):.1f} ms, errors 0; decisions {best.decisions}"
        )
    floor = next((c for c in result.closed if c.kind == "public"), None)
    if floor and best:
        lines.append(
            f"framework floor: GET /public/crossings {floor.throughput:.0f}/s closed loop; "
            f"mixed load held / floor = {best.achieved / floor.throughput:.2f}"
        )
    moves = next((c for c in result.closed if c.kind == "movement"), None)
    if moves and floor:
        lines.append(
            f"movements alone, closed loop: {moves.throughput:.0f}/s = "
            f"{moves.throughput / floor.throughput:.2f} of the floor"
        )
    if best is not None:
        goal = best.rate("movement") >= 500
        lines.append(
            f"goal movements >= 500/s sustained, zero errors: {'met' if goal else 'NOT met'} "
            f"({result.engine}, {result.workers} worker(s), {result.cores} cores)"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------- main
def parse_mix(text_: str) -> dict[str, float]:
    parts = [float(x) for x in text_.split(",")]
    if len(parts) != 3 or sum(parts) <= 0 or min(parts) < 0:
        raise argparse.ArgumentTypeError("--mix is three weights: movements,trucks,public")
    return {k: v for k, v in zip(KINDS, parts, strict=True) if v > 0}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--postgres", default=DEFAULT_POSTGRES, help="admin URL: a fresh database "
                   "is created there and dropped afterwards")  # fmt: skip
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="server worker processes (PostgreSQL; SQLite always uses 1)")  # fmt: skip
    p.add_argument("--steps", type=lambda s: [float(x) for x in s.split(",")],
                   default=DEFAULT_STEPS, help="total offered requests/s per step")  # fmt: skip
    p.add_argument("--seconds-per-step", type=float, default=10.0)
    p.add_argument("--mix", type=parse_mix, default="60,15,25",
                   help="weights of movements, truck arrivals, public reads")  # fmt: skip
    p.add_argument("--aliases", type=int, default=10_000)
    p.add_argument("--items", type=int, default=10, help="declaration items per truck")
    p.add_argument("--p99-limit", type=float, default=100.0, help="ms")
    p.add_argument(
        "--keep-going",
        action="store_true",
        help="step on past p99 > limit while there are no errors and >= 80%% is achieved "
        "(shows where throughput saturates on a busy machine)",
    )
    p.add_argument("--timeout", type=float, default=10.0, help="per request, s (then an error)")
    p.add_argument("--connections", type=int, default=256)
    p.add_argument("--warmup-rounds", type=int, default=3)
    p.add_argument("--closed", default="public,movement",
                   help="closed-loop measurements after the steps ('' for none)")  # fmt: skip
    p.add_argument("--closed-seconds", type=float, default=10.0)
    p.add_argument("--concurrency", type=int, default=32, help="closed loop in flight")
    return p


def _run_in_own_loop(coroutine: Coroutine[Any, Any, None]) -> None:
    """asyncio.run in a thread of its own: the caller may already have a loop running (pytest
    with Playwright's sync API keeps one in the main thread)."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=target, name="load-driver")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def run(args: argparse.Namespace, log=print) -> Result:
    if isinstance(args.steps, str):
        args.steps = [float(x) for x in args.steps.split(",")]
    if isinstance(args.mix, str):
        args.mix = parse_mix(args.mix)
    workers = 1 if args.engine == "sqlite" else args.workers
    result = Result(
        args.engine, workers, args.aliases, args.mix, os.cpu_count() or 1, limit_ms=args.p99_limit
    )
    log(
        f"engine {args.engine}, {workers} server worker(s)"
        + (" (SQLite: one writer, so one worker)" if args.engine == "sqlite" else "")
        + f", {result.cores} cores, mix {args.mix}, {args.seconds_per_step:g} s per step, "
        f"p99 limit {args.p99_limit:g} ms, load average {os.getloadavg()}"
    )
    with tempfile.TemporaryDirectory() as workdir:
        url, pg_name = scratch.create(args.engine, args.postgres, Path(workdir), "load")
        try:
            prepare(url, args.aliases, log)
            server = Server(url, workers, pg_name)
            try:
                log(HEADER)
                log("|" + "---|" * (HEADER.count("|") - 1))
                _run_in_own_loop(drive(server, url, args, result, log))
            finally:
                server.stop()
        finally:
            scratch.drop(args.postgres, pg_name)
    log(summary(result))
    log(f"load average at the end: {os.getloadavg()}")
    return result


def main() -> None:
    args = parser().parse_args()
    result = run(args, log=lambda *a, **k: print(*a, **{"flush": True, **k}))
    sys.exit(0 if result.held is not None else 1)


if __name__ == "__main__":
    main()
