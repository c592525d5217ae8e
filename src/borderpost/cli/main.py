"""The `borderpost` command: thin wrappers that parse arguments and call service functions."""

from __future__ import annotations

import typer
from rich.console import Console

from borderpost import serving
from borderpost.cli import (
    audit_commands,
    db_commands,
    mrz,
    screen,
    users_commands,
    watchlist_commands,
)
from borderpost.config import Settings

app = typer.Typer(help="Borderpost: runs a land border crossing.", no_args_is_help=True)
console = Console(stderr=True)
db_commands.register(app)
users_commands.register(app)
mrz.register(app)
screen.register(app)
watchlist_commands.register(app)
audit_commands.register(app)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes (PostgreSQL only, for SQLite keep 1)."
    ),
    proxy_headers: bool = typer.Option(
        False,
        "--proxy-headers/--no-proxy-headers",
        help="Believe X-Forwarded-For/-Proto, from --forwarded-allow-ips only.",
    ),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        help="Addresses or networks of the reverse proxies, comma-separated.",
    ),
    keep_alive: int = typer.Option(
        serving.KEEP_ALIVE_SECONDS, min=1, help="Seconds an idle connection is kept open."
    ),
    limit_concurrency: int = typer.Option(
        serving.CONCURRENCY_LIMIT, min=10, help="Connections per worker before answering 503."
    ),
) -> None:
    """Serve the API and pages (settings from BORDERPOST_* variables)."""
    import uvicorn

    Settings().check_for_production()
    uvicorn.run(
        "borderpost.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **serving.uvicorn_options(
            proxy_headers=proxy_headers,
            forwarded_allow_ips=forwarded_allow_ips,
            keep_alive_seconds=keep_alive,
            concurrency_limit=limit_concurrency,
        ),
        # Building the screening index of a large watchlist holds a worker busy for a while
        # (about a minute for a million aliases): do not take that for a hung worker.
        timeout_worker_healthcheck=120,
        log_level="warning",
    )


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    database: str = typer.Option("borderpost-demo.db", help="SQLite file, created afresh."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Load the scenario and exit."),
) -> None:
    """Create a fresh SQLite database, load the Al-Qaim scenario, print the logins and serve."""
    from borderpost.demo.loader import load_demo

    logins = load_demo(database, console=console)
    console.print("\n[bold]Demo users[/bold] (username / password):")
    for username, role, password in logins:
        console.print(f"  {username:<14} {role:<12} {password}")
    if no_serve:
        return
    import uvicorn

    from borderpost.app import create_app
    from borderpost.demo.loader import demo_settings

    console.print(f"\nServing on http://{host}:{port}/  (API docs at /docs)")
    uvicorn.run(create_app(demo_settings(database)), host=host, port=port, log_level="warning")


def main() -> None:  # pragma: no cover - console entry point
    app()
