from __future__ import annotations

from pathlib import Path

import typer

from borderpost.config import Settings


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @db_app.command("upgrade")
    def upgrade(revision: str = typer.Argument("head")) -> None:
        """Create or migrate the schema of BORDERPOST_DATABASE_URL."""
        from borderpost.db import make_engine
        from borderpost.migrations.run import upgrade as run_upgrade

        engine = make_engine(Settings().database_url)
        run_upgrade(engine, revision)
        engine.dispose()
        typer.echo(f"schema at {revision}")

    @db_app.command("backup")
    def backup(
        destination: Path = typer.Argument(..., help="File to write the backup to."),
    ) -> None:
        """Online backup: SQLite's backup API, or pg_dump (custom format) for PostgreSQL."""
        from borderpost.backup import BackupError
        from borderpost.backup import backup as run_backup

        try:
            written = run_backup(Settings().database_url, destination)
        except BackupError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(f"backup written to {written}")
