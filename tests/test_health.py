"""Operations: health endpoints, which proxies are believed, the server's timeouts."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from fastapi import Request
from sqlalchemy import text

from borderpost import serving
from borderpost.app import create_app
from borderpost.db import Database
from tests.conftest import Api, LiveServer, settings_for


def test_healthz_and_readyz_answer_without_a_token_and_without_personal_data(api: Api):
    base = api.server.url
    alive = httpx.get(base + "/healthz")
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    ready = httpx.get(base + "/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}
    assert ready.headers["cache-control"] == "no-store" and ready.headers["x-request-id"]


def test_readyz_is_503_while_the_schema_is_behind_the_migrations(fresh_database: Database):
    with fresh_database.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    server = LiveServer(fresh_database)
    try:
        ready = httpx.get(server.url + "/readyz")
        assert ready.status_code == 503
        assert ready.json()["type"] == "/problems/not-ready"
        assert "db upgrade" in ready.json()["detail"]
        assert httpx.get(server.url + "/healthz").status_code == 200
    finally:
        server.stop()


@contextmanager
def serve(database: Database, **options: object) -> Iterator[str]:
    """The application under `borderpost serve`'s uvicorn options, with one extra route that
    tells which client address the application believes."""
    app = create_app(settings_for(database), database=database)

    @app.get("/test/client")
    def client(request: Request) -> dict:
        return {"host": request.client.host if request.client else None}

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", **serving.uvicorn_options(**options)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


SPOOFED = {"X-Forwarded-For": "203.0.113.9"}


@pytest.mark.parametrize(
    ("options", "believed"),
    [
        ({"proxy_headers": False, "forwarded_allow_ips": "127.0.0.1"}, "127.0.0.1"),
        ({"proxy_headers": True, "forwarded_allow_ips": "10.0.0.1"}, "127.0.0.1"),
        ({"proxy_headers": True, "forwarded_allow_ips": "10.0.0.0/8"}, "127.0.0.1"),
        ({"proxy_headers": True, "forwarded_allow_ips": "127.0.0.1"}, "203.0.113.9"),
    ],
)
def test_x_forwarded_for_is_believed_only_from_the_allowed_proxies(
    database: Database, options: dict, believed: str
):
    with serve(database, **options) as url:
        seen = httpx.get(url + "/test/client", headers=SPOOFED).json()["host"]
    assert seen == believed


def test_serve_sets_timeouts_for_idle_and_slow_clients():
    options = serving.uvicorn_options(proxy_headers=False, forwarded_allow_ips="127.0.0.1")
    assert options["timeout_keep_alive"] == 5
    assert options["timeout_graceful_shutdown"] == 30
    assert options["limit_concurrency"] == 1000
    assert options["forwarded_allow_ips"] == "", "never FORWARDED_ALLOW_IPS from the environment"


def test_an_idle_connection_is_closed_after_the_keep_alive(database: Database):
    with serve(database, proxy_headers=False, forwarded_allow_ips="", keep_alive_seconds=1) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            sock.settimeout(10)
            assert b"200" in sock.recv(4096).split(b"\r\n")[0]
            assert sock.recv(4096) == b"", "the server closes the idle connection"
