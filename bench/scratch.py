"""A database of a benchmark's own: an SQLite file in its work folder, or a fresh PostgreSQL
database created through an admin URL and dropped afterwards."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def create(engine: str, postgres: str, workdir: Path, prefix: str) -> tuple[str, str | None]:
    """The new database's URL, and its PostgreSQL name (None for SQLite) for `drop`."""
    if engine == "sqlite":
        return f"sqlite:///{workdir / f'{prefix}.db'}", None
    name = f"bp_{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(postgres).set(database=name).render_as_string(hide_password=False), name


def drop(postgres: str, name: str | None) -> None:
    if name:
        admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
