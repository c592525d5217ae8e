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


STRONG = "Qaim-ledger-crossing-7781"


def _crossing(db: Database, code: str, country: str = "IRQ") -> None:
    from borderpost.auth.service import SYSTEM
    from borderpost.crossing import service as crossings

    with db.transaction() as s:
        crossings.create_crossing(
            s, code=code, name=code, country=country, neighbour_country="SYR",
            counterpart_name="c", timezone="Asia/Baghdad", actor=SYSTEM,
        )  # fmt: skip


def test_users_scope_password_disable_and_enable(fresh_database: Database, monkeypatch):
    from borderpost.auth import service, users
    from borderpost.auth.service import SYSTEM

    monkeypatch.setenv("BORDERPOST_DATABASE_URL", fresh_database.url)
    _crossing(fresh_database, "IQ-QAIM")
    _crossing(fresh_database, "IQ-TREBIL")
    create = ["users", "create", "layla", "--role", "immigration", "--country", "irq",
              "--crossing", "IQ-QAIM", "--crossing", "iq-trebil"]  # fmt: skip
    assert runner.invoke(cli, create, input=STRONG + "\n").exit_code == 0

    def scope_of() -> tuple[str | None, list[str]]:
        with fresh_database.transaction() as s:
            user = users.get_user(s, "layla", actor=SYSTEM)
            return user.country, users.crossings_of(s, [user.id]).get(user.id, [])

    assert scope_of() == ("IRQ", ["IQ-QAIM", "IQ-TREBIL"])
    narrowed = runner.invoke(cli, ["users", "scope", "layla", "--country", "IRQ",
                                   "--crossing", "IQ-TREBIL"])  # fmt: skip
    assert narrowed.exit_code == 0, narrowed.output
    assert scope_of() == ("IRQ", ["IQ-TREBIL"])
    widened = runner.invoke(cli, ["users", "scope", "layla", "--country", "IRQ"])
    assert widened.exit_code == 0 and scope_of() == ("IRQ", [])
    same = runner.invoke(cli, ["users", "scope", "layla", "--country", "IRQ"])
    assert same.exit_code == 2 and "already" in same.output

    new_password = "Another-unusual-phrase-4417"
    reset = runner.invoke(cli, ["users", "reset-password", "layla"], input=new_password + "\n")
    assert reset.exit_code == 0, reset.output
    with fresh_database.transaction() as s:
        assert service.authenticate(s, username="layla", password=STRONG) is None
        assert service.authenticate(s, username="layla", password=new_password) is not None

    assert runner.invoke(cli, ["users", "disable", "layla"]).exit_code == 0
    with fresh_database.transaction() as s:
        assert service.authenticate(s, username="layla", password=new_password) is None
    assert runner.invoke(cli, ["users", "disable", "layla"]).exit_code == 2
    assert runner.invoke(cli, ["users", "enable", "layla"]).exit_code == 0
    with fresh_database.transaction() as s:
        assert service.authenticate(s, username="layla", password=new_password) is not None
    listing = runner.invoke(cli, ["users", "list"])
    assert "layla\timmigration\tIRQ\t*\tactive" in listing.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        # an officer acts for a state
        (["users", "create", "y1", "--role", "customs"], "country"),
        # a crossing that does not exist, and one of another state
        (
            [
                "users",
                "create",
                "y2",
                "--role",
                "customs",
                "--country",
                "IRQ",
                "--crossing",
                "XX-NONE",
            ],
            "XX-NONE",
        ),
        (
            [
                "users",
                "create",
                "y3",
                "--role",
                "customs",
                "--country",
                "JOR",
                "--crossing",
                "IQ-QAIM",
            ],
            "IQ-QAIM",
        ),
        (["users", "scope", "nobody", "--country", "IRQ"], "nobody"),
    ],
)
def test_users_commands_refuse_what_is_outside_the_rules(
    fresh_database: Database, monkeypatch, args, needle
):
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", fresh_database.url)
    _crossing(fresh_database, "IQ-QAIM")
    result = runner.invoke(cli, args, input=STRONG + "\n")
    assert result.exit_code != 0
    assert needle in result.output


def test_the_last_active_administrator_cannot_be_disabled(fresh_database: Database, monkeypatch):
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", fresh_database.url)
    for name in ("admin1", "admin2"):
        created = runner.invoke(
            cli, ["users", "create", name, "--role", "admin"], input=STRONG + "\n"
        )
        assert created.exit_code == 0, created.output
    assert runner.invoke(cli, ["users", "disable", "admin1"]).exit_code == 0
    refused = runner.invoke(cli, ["users", "disable", "admin2"])
    assert refused.exit_code == 2 and "last active administrator" in refused.output
    assert runner.invoke(cli, ["users", "enable", "admin1"]).exit_code == 0
    assert runner.invoke(cli, ["users", "disable", "admin2"]).exit_code == 0
