"""Requests sent at the same moment from several threads, for the race tests of every domain."""

from __future__ import annotations

import threading

import httpx

from borderpost.auth.permissions import Role
from tests.conftest import Api


def race(api: Api, path: str, bodies: list[object], role: Role) -> list[httpx.Response]:
    """POST every body at once against the live server, one client (connection) per thread."""
    headers = api.headers(role)
    barrier = threading.Barrier(len(bodies))
    results: list[httpx.Response | BaseException | None] = [None] * len(bodies)

    def go(n: int) -> None:
        with httpx.Client(base_url=api.server.url + "/api/v1", timeout=60) as client:
            client.get("/crossings", headers=headers)  # connect before the barrier
            barrier.wait()
            try:
                results[n] = client.post(path, headers=headers, json=bodies[n])
            except BaseException as exc:  # reported below
                results[n] = exc

    threads = [threading.Thread(target=go, args=(n,)) for n in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    out = []
    for r in results:
        assert isinstance(r, httpx.Response), r
        out.append(r)
    return out
