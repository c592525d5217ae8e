"""`borderpost users ...`: accounts from the server's shell (the operator acts as `system`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from borderpost.auth.permissions import Role
from borderpost.config import Settings
from borderpost.errors import DomainError

CROSSING_HELP = "A crossing the user is kept to (repeat for several; none: every crossing)."


def _country(country: str | None) -> str | None:
    from borderpost.validation import parse_country

    try:
        return parse_country(country) if country else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--country") from exc


@contextmanager
def _transaction() -> Iterator[Session]:
    from borderpost.db import Database

    database = Database(Settings().database_url)
    try:
        with database.transaction() as db:
            yield db
    except DomainError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    finally:
        database.dispose()


def _password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _on_user(name: str, change: Callable[..., object], message: str, **kwargs: object) -> None:
    from borderpost.auth import users
    from borderpost.auth.service import SYSTEM

    with _transaction() as db:
        user = users.get_user(db, name, actor=SYSTEM)
        change(db, user=user, actor=SYSTEM, **kwargs)
        typer.echo(message.format(user=user.username))


def register(app: typer.Typer) -> None:
    users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    @users_app.command("create")
    def create(
        name: str,
        role: Role = typer.Option(..., "--role", help="The user's role."),
        country: str | None = typer.Option(
            None, help="The state the user acts for (alpha-3); required but for national roles."
        ),
        crossing: list[str] = typer.Option([], "--crossing", help=CROSSING_HELP),
    ) -> None:
        """Create a user; the password is read from standard input."""
        from borderpost.auth import users
        from borderpost.auth.service import SYSTEM

        password = _password()
        code = _country(country)
        with _transaction() as db:
            user = users.create_user(
                db,
                username=name,
                password=password,
                role=role,
                country=code,
                crossings=crossing,
                actor=SYSTEM,
            )
            typer.echo(f"created {user.username} ({role.value})")

    @users_app.command("scope")
    def scope(
        name: str,
        country: str | None = typer.Option(None, help="The state the user acts for (alpha-3)."),
        crossing: list[str] = typer.Option([], "--crossing", help=CROSSING_HELP),
    ) -> None:
        """Set the user's country and crossings (the list replaces the previous one)."""
        from borderpost.auth import users

        _on_user(
            name,
            users.set_scope,
            "scope of {user} set",
            country=_country(country),
            crossings=crossing,
        )

    @users_app.command("reset-password")
    def reset_password(name: str) -> None:
        """A new password, read from standard input; the user's sessions end."""
        from borderpost.auth import users

        _on_user(name, users.reset_password, "password of {user} reset", password=_password())

    @users_app.command("disable")
    def disable(name: str) -> None:
        """Disable the account (never the last active administrator); its sessions end."""
        from borderpost.auth import users

        _on_user(name, users.disable_user, "{user} disabled")

    @users_app.command("enable")
    def enable(name: str) -> None:
        """Re-enable a disabled account."""
        from borderpost.auth import users

        _on_user(name, users.enable_user, "{user} enabled")

    @users_app.command("list")
    def list_users() -> None:
        """Every account: name, role, country, crossings, active."""
        from borderpost.auth import users
        from borderpost.auth.service import SYSTEM

        with _transaction() as db:
            rows = users.list_users(db, actor=SYSTEM)
            listed = users.crossings_of(db, [u.id for u in rows])
            for u in rows:
                crossings = ",".join(listed.get(u.id, [])) or "*"
                state = "active" if u.active else "disabled"
                typer.echo(f"{u.username}\t{u.role}\t{u.country or '-'}\t{crossings}\t{state}")
