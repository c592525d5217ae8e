"""The password policy: at least 12 characters and not guessable by zxcvbn's estimate."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from borderpost.auth import service
from borderpost.auth.passwords import MIN_LENGTH, check_password_policy
from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.cli.main import app as cli
from borderpost.db import Database
from borderpost.errors import DomainError


@pytest.mark.parametrize(
    "password",
    [
        "short-pass",  # 10: under the minimum
        "password1234",  # a breached classic, long enough
        "qwertyuiop12",  # keyboard walk
        "iloveyou1234",
        "aaaaaaaaaaaaaaaa",  # repeats
        "Borderpost2025!",  # the system's own name and a year
        "amira.hassan-pass",  # contains the username
        "123456789012",
    ],
)
def test_weak_passwords_are_refused_naming_the_field(password: str):
    with pytest.raises(DomainError) as refused:
        check_password_policy(password, username="amira.hassan")
    assert refused.value.status == 422 and refused.value.errors[0].field == "password"


@pytest.mark.parametrize(
    "password", ["correct-horse-battery", "sup-demo-pass-2025", "Tigris at dawn, 7 boats"]
)
def test_long_unusual_phrases_pass(password: str):
    check_password_policy(password, username="amira")


def test_the_minimum_is_twelve():
    assert MIN_LENGTH == 12
    with pytest.raises(DomainError, match="at least 12"):
        check_password_policy("Xq7#vR2!pL9", username="")  # 11 random characters


def test_creating_a_user_applies_the_policy(fresh_database: Database):
    with pytest.raises(DomainError), fresh_database.transaction() as s:
        service.create_user(
            s,
            username="omar",
            password="password1234",
            role=Role.ANALYST,
            country=None,
            actor=SYSTEM,
        )
    result = CliRunner().invoke(
        cli,
        ["users", "create", "omar", "--role", "analyst"],
        input="qwertyuiop12\n",
        env={"BORDERPOST_DATABASE_URL": fresh_database.url},
    )
    assert result.exit_code != 0 and "too easy to guess" in result.output
