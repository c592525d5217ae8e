from __future__ import annotations

import sys

import typer

from borderpost.auth.permissions import Role
from borderpost.config import Settings
from borderpost.errors import DomainError


def register(app: typer.Typer) -> None:
    users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    @users_app.command("create")
    def create(
        name: str,
        role: Role = typer.Option(..., "--role", help="The user's role."),
        country: str | None = typer.Option(None, help="The state a liaison acts for (alpha-3)."),
    ) -> None:
        """Create a user; the password is read from standard input."""
        from borderpost.auth import service
        from borderpost.auth.service import SYSTEM
        from borderpost.db import Database
        from borderpost.validation import parse_country

        password = sys.stdin.readline().rstrip("\r\n")
        try:
            code = parse_country(country) if country else None
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--country") from exc
        database = Database(Settings().database_url)
        try:
            with database.transaction() as db:
                user = service.create_user(
                    db, username=name, password=password, role=role, country=code, actor=SYSTEM
                )
                typer.echo(f"created {user.username} ({role.value})")
        except DomainError as exc:
            typer.echo(f"error: {exc.detail}", err=True)
            raise typer.Exit(2) from exc
        finally:
            database.dispose()
