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


def test_demo_loads_the_story_with_an_intact_audit_chain(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["demo", "--no-serve", "--database", "demo.db"])
    assert result.exit_code == 0, result.output
    assert "supervisor" in result.output and "liaison" in result.output
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    verified = runner.invoke(cli, ["audit", "verify"])
    assert verified.exit_code == 0
    assert json.loads(verified.stdout.splitlines()[0])["ok"] is True

    from borderpost.crossing import service

    db = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    with db.transaction() as s:
        crossing = service.get_crossing(s, "IQ-QAIM")
        status = service.current_status(s, crossing)
        assert {t.value: st.state for t, st in status.items()} == {
            "cargo": "open",
            "passenger": "open",
        }
        changes = service.list_status_changes(s, crossing=crossing, limit=10)
        assert [c.state for c in changes] == ["open", "closed"]
        assert changes[0].assessment_id is not None
    db.dispose()


def test_serve_refuses_the_demo_secret_outside_the_demo(monkeypatch):
    monkeypatch.delenv("BORDERPOST_SECRET_KEY", raising=False)
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code != 0
    assert "secret" in str(result.exception or result.output).lower()
