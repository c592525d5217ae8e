"""How `borderpost serve` runs uvicorn: proxies trusted, timeouts for slow or idle clients."""

from __future__ import annotations

from typing import Any

# An idle keep-alive connection is closed after this (uvicorn's default, stated here because a
# booth's browser keeps one open per tab and a slow client must not hold sockets for minutes).
KEEP_ALIVE_SECONDS = 5
# On SIGTERM, requests in flight get this long to finish before the workers stop.
GRACEFUL_SHUTDOWN_SECONDS = 30
# Beyond this many open connections and tasks per worker uvicorn answers 503 at once rather than
# queue without bound (a flood of slow clients then costs sockets, not memory).
CONCURRENCY_LIMIT = 1000


def uvicorn_options(
    *,
    proxy_headers: bool,
    forwarded_allow_ips: str,
    keep_alive_seconds: int = KEEP_ALIVE_SECONDS,
    concurrency_limit: int = CONCURRENCY_LIMIT,
) -> dict[str, Any]:
    """X-Forwarded-For and X-Forwarded-Proto are believed only with `proxy_headers` and only from
    the addresses in `forwarded_allow_ips` (comma-separated addresses or networks); from anyone
    else the connection's own address stands. Without a proxy in front, leave them off: a client
    could otherwise pick the address the login throttle counts against."""
    return {
        "proxy_headers": proxy_headers,
        # uvicorn would read FORWARDED_ALLOW_IPS from the environment when given None.
        "forwarded_allow_ips": forwarded_allow_ips if proxy_headers else "",
        "timeout_keep_alive": keep_alive_seconds,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        "limit_concurrency": concurrency_limit,
        "server_header": False,
        "access_log": False,
    }
