from __future__ import annotations

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
