from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from borderpost.config import Settings


def register(app: typer.Typer) -> None:
    watchlist_app = typer.Typer(help="Watchlists for screening.", no_args_is_help=True)
    app.add_typer(watchlist_app, name="watchlist")

    @watchlist_app.command("import")
    def import_(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
        list_name: str = typer.Option(..., "--list", help="The watchlist; created if new."),
        fmt: str | None = typer.Option(None, "--format", help="csv, ftm or un-xml (else guessed)."),
    ) -> None:
        """Replace a watchlist's entries with a file's, with a progress bar."""
        from borderpost.auth.service import SYSTEM
        from borderpost.db import Database
        from borderpost.errors import DomainError
        from borderpost.screening import service

        database = Database(Settings().database_url)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,} rows"),
            TimeRemainingColumn(),
        )
        try:
            with Progress(*columns, transient=True) as bar, database.transaction() as db:
                task = bar.add_task(f"importing {file.name}", total=None)
                watchlist = service.watchlist_by_name(db, list_name) or service.create_watchlist(
                    db, name=list_name, source=str(file.name), actor=SYSTEM
                )
                result = service.import_watchlist(
                    db,
                    watchlist=watchlist,
                    data=file.read_bytes(),
                    fmt=fmt,
                    filename=file.name,
                    actor=SYSTEM,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        except DomainError as exc:
            typer.echo(f"error: {exc.detail}", err=True)
            raise typer.Exit(2) from exc
        finally:
            database.dispose()
        typer.echo(f"imported {result.imported} entries into {list_name!r}")
        for line, message in result.rejected:
            typer.echo(f"  rejected line {line}: {message}", err=True)
        for line, message in result.warnings:
            typer.echo(f"  warning line {line}: {message}", err=True)
