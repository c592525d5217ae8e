"""The command line: users, schema, the demo."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from borderpost.cli.main import app as cli
from borderpost.db import Database

runner = CliRunner()


def test_users_create_reads_the_password_from_stdin(fresh_database: Database, monkeypatch):
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", fresh_database.url)
    ok = runner.invoke(
        cli,
        ["users", "create", "amira", "--role", "liaison", "--country", "SYR"],
        input="a-long-password\n",
    )
    assert ok.exit_code == 0, ok.output
    from borderpost.auth import service

    with fresh_database.transaction() as s:
        user = service.authenticate(s, username="amira", password="a-long-password")
        assert user is not None and user.role == "liaison" and user.country == "SYR"


@pytest.mark.parametrize(
    ("args", "password", "needle"),
    [
        (["users", "create", "x1", "--role", "liaison"], "a-long-password\n", "country"),
        (["users", "create", "x2", "--role", "admin"], "short\n", "at least"),
        (["users", "create", "x3", "--role", "wizard"], "a-long-password\n", "wizard"),
        (
            ["users", "create", "x4", "--role", "liaison", "--country", "QQQ"],
            "a-long-password\n",
            "QQQ",
        ),
    ],
)
def test_users_create_refuses_bad_input(
    fresh_database: Database, monkeypatch, args, password, needle
):
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", fresh_database.url)
    result = runner.invoke(cli, args, input=password)
    assert result.exit_code != 0
    assert needle in result.output


def test_demo_prints_the_logins_and_leaves_an_intact_audit_chain(
    demo_database: Database, monkeypatch
):
    assert "supervisor" in demo_database.demo_output and "liaison" in demo_database.demo_output
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", demo_database.url)
    verified = runner.invoke(cli, ["audit", "verify"])
    assert verified.exit_code == 0
    assert json.loads(verified.stdout.splitlines()[0])["ok"] is True


def test_serve_refuses_the_demo_secret_outside_the_demo(monkeypatch):
    monkeypatch.delenv("BORDERPOST_SECRET_KEY", raising=False)
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code != 0
    assert "secret" in str(result.exception or result.output).lower()


def test_watchlist_import_command_replaces_the_list(
    fresh_database: Database, monkeypatch, tmp_path
):
    from tests.screening.test_service import WATCHLIST_CSV

    monkeypatch.setenv("BORDERPOST_DATABASE_URL", fresh_database.url)
    csv_file = tmp_path / "national.csv"
    csv_file.write_bytes(WATCHLIST_CSV + b"W-3,,,,IRQ\n")
    result = runner.invoke(cli, ["watchlist", "import", str(csv_file), "--list", "national"])
    assert result.exit_code == 0, result.output
    assert "imported 2 entries" in result.output
    assert "rejected line 4" in result.output
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"id,fullname\nX,Y\n")
    refused = runner.invoke(cli, ["watchlist", "import", str(broken), "--list", "national"])
    assert refused.exit_code == 2
    from borderpost.screening import service

    with fresh_database.transaction() as s:
        assert service.watchlist_by_name(s, "national").entry_count == 2
