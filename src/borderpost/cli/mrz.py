"""`borderpost mrz check`: read MRZ lines on standard input, print one JSON object."""

from __future__ import annotations

import json
import sys
from datetime import date

import typer

from borderpost.traveller.mrz import parse_mrz


def register(app: typer.Typer) -> None:
    """Add the `mrz` sub-app (command `check`) to the main CLI."""
    mrz_app = typer.Typer(help="Machine-readable zones (ICAO 9303).", no_args_is_help=True)

    @mrz_app.command("check")
    def check(
        today: str | None = typer.Option(
            None,
            help="Check as of this date (YYYY-MM-DD) instead of today: decides two-digit"
            " birth years and `expired`.",
        ),
    ) -> None:
        """Read MRZ lines on standard input; print the result as JSON.

        Exit code 0 when the MRZ is valid (structure and every check digit; an expired
        document is still valid), 1 when it is not.
        """
        as_of = None
        if today is not None:
            try:
                as_of = date.fromisoformat(today)
            except ValueError:
                raise typer.BadParameter("expected YYYY-MM-DD", param_hint="--today") from None
        result = parse_mrz(sys.stdin.read(), today=as_of)
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        raise typer.Exit(0 if result.valid else 1)

    app.add_typer(mrz_app, name="mrz")
