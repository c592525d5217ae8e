"""The `borderpost` command: thin wrappers that parse arguments and call service functions."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console

from borderpost.cli import db_commands, mrz, screen, users_commands, watchlist_commands
from borderpost.config import Settings

app = typer.Typer(help="Borderpost: runs a land border crossing.", no_args_is_help=True)
console = Console(stderr=True)
db_commands.register(app)
users_commands.register(app)
mrz.register(app)
screen.register(app)
watchlist_commands.register(app)

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes (PostgreSQL only, for SQLite keep 1)."
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
        access_log=False,
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


@audit_app.command("verify")
def audit_verify(
    head: str | None = typer.Option(
        None, help="A head hash recorded earlier: catches a log cut short."
    ),
) -> None:
    """Recompute the hash chain. Exit 0 when intact, 1 with the first bad record otherwise."""
    from borderpost.audit import service as audit
    from borderpost.db import Database

    database = Database(Settings().database_url)
    with database.transaction() as db:
        result = audit.verify(db, expected_head=head)
    database.dispose()
    print(
        json.dumps(
            {
                "ok": result.ok,
                "records": result.records,
                "head": result.head,
                "first_bad_id": result.first_bad_id,
                "problem": result.problem,
            }
        )
    )
    if not result.ok:
        console.print(
            f"[red]Audit chain broken[/red] at record {result.first_bad_id}: {result.problem}"
        )
        sys.exit(1)


def main() -> None:  # pragma: no cover - console entry point
    app()
