"""Requests sent at the same moment from several threads, for the race tests of every domain."""

from __future__ import annotations

import threading

import httpx

from borderpost.auth.permissions import Role
from tests.conftest import Api


def race(api: Api, path: str, bodies: list[object], role: Role) -> list[httpx.Response]:
    """POST every body at once against the live server, one client (connection) per thread."""
    return race_calls(api, [(path, role, body) for body in bodies])


def race_calls(api: Api, calls: list[tuple[str, Role, object]]) -> list[httpx.Response]:
    """POST each (path, role, body) at once, one client (connection) per thread: also for races
    between different officers (an Iraqi and a Syrian signature)."""
    barrier = threading.Barrier(len(calls))
    results: list[httpx.Response | BaseException | None] = [None] * len(calls)

    def go(n: int) -> None:
        path, role, body = calls[n]
        headers = api.headers(role)
        with httpx.Client(base_url=api.server.url + "/api/v1", timeout=60) as client:
            client.get("/crossings", headers=headers)  # connect before the barrier
            barrier.wait()
            try:
                results[n] = client.post(path, headers=headers, json=body)
            except BaseException as exc:  # reported below
                results[n] = exc

    for _, role, _ in calls:
        api.token(role)  # log in once, before the threads (the client is not shared)
    threads = [threading.Thread(target=go, args=(n,)) for n in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    out = []
    for r in results:
        assert isinstance(r, httpx.Response), r
        out.append(r)
    return out
