"""`borderpost db backup`, then a restore whose audit chain verifies with the same head."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from borderpost.audit import service as audit
from borderpost.cli.main import app as cli
from borderpost.db import Database
from tests.audit.test_audit import populate
from tests.conftest import POSTGRES_ADMIN_URL


def head_of(db: Database) -> audit.Verification:
    with db.transaction() as s:
        return audit.verify(s)


def test_backup_and_restore_keep_the_audit_chain(fresh_database: Database, tmp_path, monkeypatch):
    populate(fresh_database, 3)
    before = head_of(fresh_database)
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", fresh_database.url)
    target = tmp_path / "backup.dump"
    result = CliRunner().invoke(cli, ["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    if fresh_database.dialect == "sqlite":
        restored_url = f"sqlite:///{tmp_path / 'restored.db'}"
        shutil.copy(target, tmp_path / "restored.db")
    else:
        if shutil.which("pg_restore") is None:
            pytest.skip("pg_restore not installed")
        name = f"{make_url(fresh_database.url).database}_restored"
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        restored_url = (
            make_url(fresh_database.url).set(database=name).render_as_string(hide_password=False)
        )
        libpq = (
            make_url(restored_url)
            .set(drivername="postgresql")
            .render_as_string(hide_password=False)
        )
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={libpq}", str(target)], check=True)
    restored = Database(restored_url)
    after = head_of(restored)
    restored.dispose()
    if fresh_database.dialect != "sqlite":
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
    assert after.ok and after.records == before.records and after.head == before.head


def test_backup_of_a_missing_sqlite_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", f"sqlite:///{tmp_path / 'nothing.db'}")
    result = CliRunner().invoke(cli, ["db", "backup", str(tmp_path / "out.db")])
    assert result.exit_code == 2
