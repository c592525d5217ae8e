"""Storage failures are 503 with a problem type; every 5xx carries the request id and the security
headers; no personal data reaches the log, SQL errors included."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from borderpost import logs
from borderpost.app import create_app
from borderpost.auth.models import User
from borderpost.auth.permissions import Role
from borderpost.db import Database
from borderpost.failures import describe_exception, storage_unavailable
from tests.conftest import POSTGRES_ADMIN_URL, Api, LiveServer, create_role_users, settings_for

SECRET_NAME = "Zainab Al-Hashimi"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


def read_only(db: Database) -> Database:
    """The same database, opened so that every write fails the way a read-only disk makes it."""
    url = make_url(db.url)
    if db.dialect == "sqlite":
        return Database(f"sqlite:///file:{url.database}?mode=ro&uri=true")
    from sqlalchemy import create_engine

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        name = url.database
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    admin.dispose()
    db.dispose()
    return Database(db.url)


def unreachable(db: Database) -> Database:
    if db.dialect == "sqlite":
        return Database("sqlite:////nonexistent-directory/borderpost.db")
    return Database("postgresql+psycopg://postgres@127.0.0.1:1/borderpost")


def assert_carries_id_and_headers(response: httpx.Response) -> None:
    rid = response.headers["x-request-id"]
    assert rid and len(rid) == 16
    for header in SECURITY_HEADERS:
        assert header in response.headers, header
    if response.headers["content-type"].startswith("application/problem+json"):
        assert response.json()["request_id"] == rid


@pytest.fixture
def read_only_server(fresh_database: Database) -> Iterator[tuple[LiveServer, Api]]:
    users = create_role_users(fresh_database)
    server = LiveServer(read_only(fresh_database), settings_for(fresh_database))
    client = Api(server, users)
    yield server, client
    client.http.close()
    server.stop()
    server.db.dispose()


def test_a_write_to_read_only_storage_is_503_with_a_problem_type(read_only_server):
    _server, client = read_only_server
    # Logging in writes (the throttle's failure count is reset): it is refused like any write.
    login = client.http.post(
        "/auth/token", data={"username": client.users[Role.ADMIN], "password": "x" * 12}
    )
    assert login.status_code == 503, login.text
    assert login.json()["type"] == "/problems/storage-unavailable"
    assert login.headers["retry-after"]
    assert_carries_id_and_headers(login)


def test_database_down_is_503_for_the_api_and_the_pages_and_not_ready(database: Database, api: Api):
    server = LiveServer(unreachable(database), settings_for(database))
    try:
        http = httpx.Client(base_url=server.url, timeout=30)
        listed = http.get("/api/v1/crossings", headers=api.headers(Role.ANALYST))
        assert listed.status_code == 503, listed.text
        assert listed.json()["type"] == "/problems/storage-unavailable"
        assert_carries_id_and_headers(listed)
        page = http.get("/")
        assert page.status_code == 503 and "<html" in page.text.lower()
        assert_carries_id_and_headers(page)
        assert http.get("/healthz").status_code == 200, "alive: no restart for a database outage"
        ready = http.get("/readyz")
        assert ready.status_code == 503 and ready.json()["type"] == "/problems/not-ready"
        assert "127.0.0.1" not in ready.text and "nonexistent" not in ready.text
    finally:
        server.stop()
        server.db.dispose()


def _boom_app(database: Database, stream: io.StringIO):
    """The real application with one extra route that fails with personal data in the SQL."""
    app = create_app(settings_for(database), database=database)
    # The structlog logger writes where configure_logging pointed it: capture that.
    import structlog

    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=stream))

    def duplicate_user(request: Request) -> dict:
        with database.transaction() as db:
            for _ in range(2):
                db.add(User(username="dup.user", password_hash=SECRET_NAME, role="admin"))
            db.flush()
        return {}

    def plain_bug(request: Request) -> dict:
        raise ValueError(f"cannot parse {SECRET_NAME!r}")

    app.add_api_route("/boom/sql", duplicate_user, methods=["POST"])
    app.add_api_route("/boom/plain", plain_bug, methods=["POST"])
    return app


@pytest.mark.parametrize("path", ["/boom/sql", "/boom/plain"])
def test_a_500_carries_the_id_and_headers_and_logs_no_personal_data(
    fresh_database: Database, path: str
):
    stream = io.StringIO()
    app = _boom_app(fresh_database, stream)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.post(path)
    finally:
        logs.configure_logging()
    assert response.status_code == 500
    assert response.json()["type"] == "/problems/internal-error"
    assert_carries_id_and_headers(response)  # type: ignore[arg-type]
    logged = stream.getvalue()
    assert "unhandled_error" in logged and response.headers["x-request-id"] in logged
    assert SECRET_NAME not in logged and SECRET_NAME not in response.text
    assert "dup.user" not in logged, "not even the statement's parameters"
    if path == "/boom/sql":
        assert "IntegrityError" in logged and "user_account" in logged


def test_sql_errors_hide_their_parameters_and_the_log_hides_the_values(fresh_database: Database):
    with pytest.raises(IntegrityError) as caught, fresh_database.transaction() as db:
        db.add(User(username="dup.user", password_hash="h", role="admin", country="IRQ"))
        db.add(User(username="dup.user", password_hash=SECRET_NAME, role="admin"))
        db.flush()
    assert SECRET_NAME not in str(caught.value), "hide_parameters on the engine"
    described = describe_exception(caught.value)
    # PostgreSQL's own message quotes the duplicate value (DETAIL: Key (username)=(dup.user)).
    assert "dup.user" not in described and SECRET_NAME not in described
    assert "IntegrityError" in described and "INSERT INTO user_account" in described
    assert not storage_unavailable(caught.value)


class _Driver(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("driver message that may quote a value")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "unavailable"),
    [
        ("53100", True),  # disk full
        ("57P01", True),  # administrator shutdown
        ("08006", True),  # connection failure
        ("25006", True),  # a write sent to a read-only standby
        ("23505", False),  # unique violation: a bug or a race, not the storage
        ("22P02", False),
    ],
)
def test_which_database_errors_mean_the_storage_cannot_serve(sqlstate: str, unavailable: bool):
    from sqlalchemy.exc import DBAPIError

    error = DBAPIError("SELECT 1", None, _Driver(sqlstate))
    assert storage_unavailable(error) is unavailable
    assert f"sqlstate={sqlstate}" in describe_exception(error)
    assert "may quote" not in describe_exception(error)


def test_a_full_or_read_only_disk_is_storage_unavailable():
    import errno

    assert storage_unavailable(OSError(errno.ENOSPC, "No space left on device"))
    assert storage_unavailable(OSError(errno.EROFS, "Read-only file system"))
    assert not storage_unavailable(OSError(errno.ENOENT, "No such file"))
    assert not storage_unavailable(ValueError("x"))
