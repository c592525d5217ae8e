"""`borderpost screen QUERIES.csv --watchlist WATCHLIST.csv`: screening without a database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import typer

from borderpost.screening.formats import FormatError, parse_csv
from borderpost.screening.matcher import DEFAULT_THRESHOLD, NameIndex


def screen(
    queries: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV: id,name[,birth_date,nationality]"
    ),
    watchlist: Path = typer.Option(
        ...,
        "--watchlist",
        exists=True,
        dir_okay=False,
        help="CSV: id,name,aliases,date_of_birth,nationality",
    ),
    threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold", min=0.0, max=1.0),
) -> None:
    """Print one JSON line per query: {"id", "matches": [{"entry_id", "name", "score"}]}."""
    try:
        parsed = parse_csv(watchlist.read_bytes(), watchlist.stem)
    except FormatError as exc:
        typer.echo(f"watchlist: {exc}", err=True)
        raise typer.Exit(2) from exc
    for line, message in parsed.rejected:
        typer.echo(f"watchlist line {line} skipped: {message}", err=True)
    index = NameIndex.build(parsed.entries)

    try:
        text = queries.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        typer.echo("queries: file is not UTF-8 text", err=True)
        raise typer.Exit(2) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not {"id", "name"} <= set(reader.fieldnames or []):
        typer.echo("queries: needs columns id,name", err=True)
        raise typer.Exit(2)
    for row in reader:
        out: dict[str, object] = {"id": row["id"], "matches": []}
        try:
            matches = index.search(
                row["name"] or "",
                birth_date=row.get("birth_date") or None,
                nationality=row.get("nationality") or None,
                threshold=threshold,
            )
            out["matches"] = [
                {"entry_id": m.entry_id, "name": m.name, "score": m.score} for m in matches
            ]
        except ValueError as exc:
            out["error"] = str(exc)
        typer.echo(json.dumps(out, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    """Add the `screen` command to the borderpost CLI."""
    app.command("screen")(screen)
