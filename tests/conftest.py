"""Fixtures: fresh databases on SQLite and PostgreSQL, a live server per database, users per role.

Every test that takes `database` (or anything built on it) runs once per engine. PostgreSQL is at
BORDERPOST_TEST_POSTGRES (default: the local server); with CI=true a missing server is a failure.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from borderpost.app import create_app
from borderpost.auth import service as auth
from borderpost.auth import users
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.config import Settings
from borderpost.db import Database, make_engine
from borderpost.migrations.run import upgrade


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at its production cost takes ~150 ms a hash; tests log in hundreds of times.
    The parameters travel inside each hash, so verification is unchanged. The dummy hash an
    unknown username is checked against was made at import at production cost: it is remade
    cheaply too (the fuzzer and the throttling tests send many unknown names)."""
    from argon2 import PasswordHasher

    from borderpost.auth import service as auth_service

    saved = auth_service._hasher, auth_service._DUMMY_HASH
    auth_service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    auth_service._DUMMY_HASH = auth_service._hasher.hash("not-a-real-password-0")
    yield
    auth_service._hasher, auth_service._DUMMY_HASH = saved


POSTGRES_ADMIN_URL = os.environ.get(
    "BORDERPOST_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TEST_SECRET = "test-secret-" + "x" * 20
PASSWORD = "correct-horse-battery"
ENGINES = [
    e for e in os.environ.get("BORDERPOST_TEST_ENGINES", "sqlite,postgresql").split(",") if e
]


def _postgres_available() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return str(exc).splitlines()[0]


class DatabaseFactory:
    """Creates migrated databases for one engine: a template once, then cheap copies.

    On PostgreSQL a copy (CREATE DATABASE ... TEMPLATE) and a drop each wait a fraction of a
    second on the server's disk, so the next copy is made in the background while a test runs,
    and the drops at the end run side by side (the server folds their checkpoints together)."""

    def __init__(self, engine_name: str, workdir: Path) -> None:
        self.engine_name = engine_name
        self.workdir = workdir
        self.created: list[str] = []
        self.template = self._new_name()
        self._create_empty(self.template)
        engine = make_engine(self.url(self.template))
        upgrade(engine)
        engine.dispose()
        self._cloner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-clone")
        self._spare: Future[str] | None = None

    def _new_name(self) -> str:
        return f"bp_test_{os.getpid()}_{secrets.token_hex(4)}"

    def url(self, name: str) -> str:
        if self.engine_name == "sqlite":
            return f"sqlite:///{self.workdir / name}.db"
        return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def _admin(self, pool_size: int = 1):
        return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=pool_size)

    def _create_empty(self, name: str) -> None:
        if self.engine_name == "postgresql":
            admin = self._admin()
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
        self.created.append(name)

    def _clone(self) -> str:
        name = self._new_name()
        admin = self._admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        admin.dispose()
        return name

    def copy(self) -> Database:
        if self.engine_name == "sqlite":
            name = self._new_name()
            shutil.copy(self.workdir / f"{self.template}.db", self.workdir / f"{name}.db")
        else:
            # Take the copy made in the background (or make one now), then start the next.
            name = self._spare.result() if self._spare else self._clone()
            self._spare = self._cloner.submit(self._clone)
        self.created.append(name)
        return Database(self.url(name))

    def drop_all(self) -> None:
        self._cloner.shutdown(wait=True)
        if self.engine_name != "postgresql":
            return
        if self._spare:
            self.created.append(self._spare.result())
        workers = 8
        admin = self._admin(pool_size=workers)

        def drop(name: str) -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(drop, self.created))
        admin.dispose()


@pytest.fixture(scope="session", params=ENGINES)
def db_factory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseFactory]:
    if request.param == "postgresql":
        problem = _postgres_available()
        if problem:
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL is required on CI and is not reachable: {problem}")
            pytest.skip(f"PostgreSQL not reachable: {problem}")
    factory = DatabaseFactory(request.param, tmp_path_factory.mktemp(request.param))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def database(db_factory: DatabaseFactory) -> Iterator[Database]:
    """One migrated database per engine shared by the session: tests use their own data in it."""
    db = db_factory.copy()
    yield db
    db.dispose()


@pytest.fixture
def fresh_database(db_factory: DatabaseFactory) -> Iterator[Database]:
    """A database of the test's own, for tests that break things (the audit chain) or count rows."""
    db = db_factory.copy()
    yield db
    db.dispose()


def settings_for(db: Database) -> Settings:
    # Every test client comes from 127.0.0.1, and the fuzzer sends many bad logins from there.
    return Settings(
        database_url=db.url,
        secret_key=TEST_SECRET,
        token_minutes=30,
        login_max_failures_per_address=100_000,
        public_status_seconds=0,  # tests read the status right after changing it
    )


class LiveServer:
    """The application served by uvicorn on a free local port, in a background thread."""

    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        self.db = db
        self.app = create_app(settings or settings_for(db), database=db)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(database: Database) -> Iterator[LiveServer]:
    server = LiveServer(database)
    yield server
    server.stop()


NATIONAL = {Role.ADMIN, Role.ANALYST, Role.AUDITOR}


def officers(db: Database, country: str, roles: list[Role], **listed: list[str]) -> dict[Role, str]:
    """Officers of `country` in the given roles (a crossing list per role name if given)."""
    names = {}
    with db.transaction() as s:
        for role in roles:
            name = f"{role.value}.{country.lower()}.{secrets.token_hex(3)}"
            users.create_user(
                s,
                username=name,
                password=PASSWORD,
                role=role,
                country=country,
                crossings=listed.get(role.value, []),
                actor=SYSTEM,
            )
            names[role] = name
    return names


def create_role_users(db: Database, suffix: str = "") -> dict[Role, str]:
    """One user per role (the liaison acts for Syria); returns the usernames."""
    names: dict[Role, str] = {}
    with db.transaction() as session:
        for role in Role:
            name = f"{role.value}{suffix}"
            # National roles stay system-wide; officers are Iraqi, the liaison Syrian.
            country = "SYR" if role == Role.LIAISON else (None if role in NATIONAL else "IRQ")
            auth.create_user(
                session, username=name, password=PASSWORD, role=role, country=country, actor=SYSTEM
            )
            names[role] = name
    return names


class Api:
    """An httpx client against the live server that logs in as any role."""

    def __init__(self, server: LiveServer, users: dict[Role, str]) -> None:
        self.server = server
        self.users = users
        self.http = httpx.Client(base_url=server.url + "/api/v1", timeout=30)
        self._tokens: dict[Role, str] = {}

    def token(self, role: Role) -> str:
        if role not in self._tokens:
            response = self.http.post(
                "/auth/token", data={"username": self.users[role], "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            self._tokens[role] = response.json()["access_token"]
        return self._tokens[role]

    def headers(self, role: Role | None, **extra: str) -> dict[str, str]:
        headers = dict(extra)
        if role is not None:
            headers["Authorization"] = f"Bearer {self.token(role)}"
        return headers

    def get(self, path: str, role: Role | None, **kwargs: object) -> httpx.Response:
        return self.http.get(path, headers=self.headers(role), **kwargs)  # type: ignore[arg-type]

    def post(
        self,
        path: str,
        role: Role | None,
        json: object = None,
        *,
        key: str | None = None,
        **kwargs: object,
    ) -> httpx.Response:
        extra = {"Idempotency-Key": key} if key else {}
        return self.http.post(path, headers=self.headers(role, **extra), json=json, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def role_users(database: Database) -> dict[Role, str]:
    return create_role_users(database)


@pytest.fixture(scope="session")
def api(live_server: LiveServer, role_users: dict[Role, str]) -> Iterator[Api]:
    client = Api(live_server, role_users)
    yield client
    client.http.close()


def unique_code(prefix: str = "IQ") -> str:
    return f"{prefix}-T{secrets.token_hex(3).upper()}"


@pytest.fixture
def crossing_code(api: Api) -> str:
    """A new crossing (IRQ facing SYR), open for both classes."""
    code = unique_code()
    response = api.post(
        "/crossings",
        Role.ADMIN,
        {
            "code": code,
            "name": "Test crossing",
            "country": "IRQ",
            "neighbour_country": "SYR",
            "counterpart_name": "Counterpart",
            "timezone": "Asia/Baghdad",
        },
    )
    assert response.status_code == 201, response.text
    return code


DEMO_FIXTURE = "demo_database"
DEMO_WAIT_SECONDS = 900


def _demo_folder(config: pytest.Config) -> Path:
    """The run's folder shared by its xdist workers (each worker's basetemp is inside it)."""
    basetemp = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Loading the demo is the dearest set-up of the suite (about 45 s of CPU): it starts in a
    process of its own as soon as the tests are collected, and the tests that read it run last,
    so the other tests run beside it rather than waiting. Every xdist worker orders the tests
    the same way; the first to get here starts the build."""
    wanting = [i for i in items if DEMO_FIXTURE in getattr(i, "fixturenames", ())]
    if not wanting:
        return
    items[:] = [i for i in items if DEMO_FIXTURE not in getattr(i, "fixturenames", ())] + wanting
    folder = _demo_folder(config)
    with open(folder / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "demo-started").exists():
            (folder / "demo-started").touch()
            _start_demo_build(folder)


def _start_demo_build(folder: Path) -> None:
    with open(folder / "demo-build.log", "w") as log:  # the child keeps its own handle
        subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("demo_build.py")), str(folder)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture(scope="session")
def demo_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """`borderpost demo --no-serve` run once through the command line: the Al-Qaim story.
    Built once per run in the background (see pytest_collection_modifyitems); each worker works
    on a copy of its own."""
    folder = _demo_folder(request.config)
    status = folder / "demo-status"
    deadline = time.monotonic() + DEMO_WAIT_SECONDS
    while not status.exists():
        assert (folder / "demo-started").exists(), "the demo build was never started"
        assert time.monotonic() < deadline, (folder / "demo-build.log").read_text()[-3000:]
        time.sleep(0.2)
    output = (folder / "demo-output.txt").read_text()
    assert status.read_text() == "0", output + (folder / "demo-build.log").read_text()[-3000:]
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(folder / "demo-built.db", path)
    db = Database(f"sqlite:///{path}")
    db.demo_output = output  # type: ignore[attr-defined]
    yield db
    db.dispose()
