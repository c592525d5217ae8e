"""Online backups: SQLite through its backup API, PostgreSQL through pg_dump."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    pass


def backup(database_url: str, destination: Path) -> Path:
    """Write a consistent copy of the database to `destination` while it keeps serving."""
    url = make_url(database_url)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        return _backup_sqlite(url.database or "", destination)
    if url.get_backend_name() == "postgresql":
        return _backup_postgres(url, destination)
    raise BackupError(f"no backup method for {url.get_backend_name()}")


def _backup_sqlite(path: str, destination: Path) -> Path:
    if not path or not Path(path).exists():
        raise BackupError(f"no SQLite database at {path!r}")
    source = sqlite3.connect(path)
    target = sqlite3.connect(destination)
    try:
        # Page by page, under SQLite's own locking: writers go on while the copy is made.
        source.backup(target, pages=1024)
    finally:
        target.close()
        source.close()
    return destination


def _backup_postgres(url: URL, destination: Path) -> Path:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={destination}", libpq],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or "pg_dump failed")
    return destination
