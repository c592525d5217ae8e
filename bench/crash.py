"""Crash test: clients write with Idempotency-Key while the server is killed (SIGKILL) at random.

Afterwards every acknowledged write (2xx) must be in the database exactly once, every write that
was never acknowledged is retried with its key until it is (and then lands once), and the audit
chain verifies. The suite runs it briefly on both engines (tests/test_crash.py); run it longer:

    PYTHONPATH=src python bench/crash.py --kills 30 [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import func, select

from borderpost.audit import service as audit
from borderpost.auth import service as auth
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.crossing import service as crossings
from borderpost.crossing.models import Incident
from borderpost.db import Database
from borderpost.migrations.run import upgrade

SECRET = "crash-test-secret-0123456789"
PASSWORD = "crash-test-password"
CODE = "IQ-CRASH"


@dataclass
class Report:
    attempts: int = 0
    acknowledged: int = 0
    kills: int = 0
    retried_after_crash: int = 0
    missing: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    audit_ok: bool = False
    audit_records: int = 0

    @property
    def ok(self) -> bool:
        return not self.missing and not self.duplicated and self.audit_ok


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`python -m borderpost serve` in a process of its own, killed and restarted at will."""

    def __init__(self, database_url: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {
            "BORDERPOST_DATABASE_URL": database_url,
            "BORDERPOST_SECRET_KEY": SECRET,
            "BORDERPOST_LOG_LEVEL": "WARNING",
            # A killed server's requests are dead at once: let retries take their keys over soon.
            "BORDERPOST_IDEMPOTENCY_LEASE_SECONDS": "2",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "borderpost", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120  # a loaded 2-core machine starts slowly
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/public/crossings", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


def prepare(database_url: str) -> None:
    db = Database(database_url)
    upgrade(db.engine)
    with db.transaction() as s:
        if not auth.list_users(s):
            auth.create_user(
                s,
                username="security",
                password=PASSWORD,
                role=Role.SECURITY,
                country="IRQ",
                actor=SYSTEM,
            )
        if not any(c.code == CODE for c in crossings.list_crossings(s)):
            crossings.create_crossing(
                s,
                code=CODE,
                name="Crash",
                country="IRQ",
                neighbour_country="SYR",
                counterpart_name="C",
                timezone="Asia/Baghdad",
                actor=SYSTEM,
            )
    db.dispose()


def run(database_url: str, *, kills: int, clients: int = 4, seed: int = 1) -> Report:
    prepare(database_url)
    server = Server(database_url)
    server.start()
    rng = random.Random(seed)
    report = Report()
    pending: dict[str, dict] = {}  # key -> body, written but not yet acknowledged
    acknowledged: dict[str, str] = {}  # key -> incident id
    lock = threading.Lock()
    stop = threading.Event()
    token_holder: list[str] = []

    def token() -> str:
        while not token_holder:
            try:
                r = httpx.post(
                    f"{server.url}/api/v1/auth/token",
                    data={"username": "security", "password": PASSWORD},
                    timeout=5,
                )
                token_holder.append(r.json()["access_token"])
            except httpx.HTTPError:
                time.sleep(0.05)
        return token_holder[0]

    def send(key: str, body: dict) -> bool:
        headers = {"Authorization": f"Bearer {token()}", "Idempotency-Key": key}
        try:
            r = httpx.post(
                f"{server.url}/api/v1/crossings/{CODE}/incidents",
                json=body,
                headers=headers,
                timeout=5,
            )
        except httpx.HTTPError:
            return False
        if r.status_code == 201:
            with lock:
                acknowledged[key] = r.json()["id"]
                pending.pop(key, None)
            return True
        if r.status_code == 409:  # the first attempt is still in flight (or died: lease)
            return False
        raise AssertionError(f"unexpected {r.status_code}: {r.text}")

    def client(n: int) -> None:
        # As a post on a bad link does: retry the same key until it is acknowledged.
        while not stop.is_set():
            key = str(uuid.uuid4())
            body = {
                "kind": "crash-test",
                "severity": 1,
                "occurred_at": "2025-06-14T00:00:00Z",
                "description": key,
            }
            with lock:
                pending[key] = body
                report.attempts += 1
            while not stop.is_set() and not send(key, body):
                time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for _ in range(kills):
        time.sleep(rng.uniform(0.2, 1.0))  # while writes are flowing
        server.kill()
        report.kills += 1
        server.start()
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()

    # Retry every write that was never acknowledged, with its own key, until it is.
    report.retried_after_crash = len(pending)
    for key, body in list(pending.items()):
        deadline = time.monotonic() + 120
        while not send(key, body):
            if time.monotonic() > deadline:
                raise AssertionError(f"key {key} never acknowledged")
            time.sleep(0.2)
    server.kill()
    report.acknowledged = len(acknowledged)

    db = Database(database_url)
    with db.transaction() as s:
        counts = dict(
            s.execute(
                select(Incident.description, func.count())
                .where(Incident.kind == "crash-test")
                .group_by(Incident.description)
            ).all()
        )
        ids = set(s.scalars(select(Incident.id).where(Incident.kind == "crash-test")))
        verified = audit.verify(s)
    db.dispose()
    report.missing = [k for k, i in acknowledged.items() if counts.get(k) != 1 and i not in ids]
    report.duplicated = [k for k, c in counts.items() if c > 1]
    report.missing += [k for k in acknowledged if k not in counts]
    report.audit_ok, report.audit_records = verified.ok, verified.records
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path('crash-test.db').resolve()}"
    report = run(url, kills=args.kills, clients=args.clients)
    print(f"engine: {url.split(':')[0]}")
    print(
        f"writes attempted {report.attempts}, acknowledged {report.acknowledged}, "
        f"server killed {report.kills} times, retried after the run {report.retried_after_crash}"
    )
    print(
        f"missing {len(report.missing)}, duplicated {len(report.duplicated)}, "
        f"audit chain {'intact' if report.audit_ok else 'BROKEN'} ({report.audit_records} records)"
    )
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
