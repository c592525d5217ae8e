"""`borderpost mrz check` through a Typer app built here with register()."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from borderpost.cli.mrz import register

TD3_SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n"
)
KEYS = [
    "valid",
    "errors",
    "format",
    "document_type",
    "issuing_state",
    "document_number",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
    "surname",
    "given_names",
    "optional_data",
    "expired",
]


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Borderpost (test app)."""

    register(app)
    return app


def run(app, stdin: str, *args: str):
    result = CliRunner().invoke(app, ["mrz", "check", *args], input=stdin)
    return result.exit_code, result.stdout


def test_valid_mrz_exits_0_with_one_json_object(app):
    code, out = run(app, TD3_SPECIMEN.replace("\n", "\r\n"), "--today", "2011-01-01")
    assert code == 0
    data = json.loads(out)
    assert list(data) == KEYS
    assert data["valid"] is True and data["errors"] == []
    assert data["format"] == "TD3"
    assert (data["surname"], data["given_names"]) == ("ERIKSSON", "ANNA MARIA")
    assert (data["birth_date"], data["expiry_date"], data["sex"]) == (
        "1974-08-12",
        "2012-04-15",
        "F",
    )
    assert data["expired"] is False


def test_expired_document_is_still_valid(app):
    code, out = run(app, TD3_SPECIMEN)
    assert code == 0
    assert json.loads(out)["expired"] is True


def test_invalid_mrz_exits_1_naming_the_field(app):
    code, out = run(app, TD3_SPECIMEN.replace("7408122", "7408123"))
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False
    assert [e["field"] for e in data["errors"]] == ["birth_date_check", "composite_check"]
    assert all(set(e) == {"field", "message"} for e in data["errors"])


def test_suggestion_is_in_the_json(app):
    code, out = run(app, TD3_SPECIMEN.replace("7408122", "74O8122"))
    assert code == 1
    assert json.loads(out)["errors"] == [
        {
            "field": "birth_date",
            "message": json.loads(out)["errors"][0]["message"],
            "suggestion": "740812",
        }
    ]


@pytest.mark.parametrize("stdin", ["", "\n\n", "P<UTO\n", "not an mrz at all"])
def test_garbage_exits_1_with_the_same_shape(app, stdin):
    code, out = run(app, stdin)
    assert code == 1
    data = json.loads(out)
    assert list(data) == KEYS
    assert data["valid"] is False and data["errors"]
    assert data["format"] is None


def test_bad_today_is_a_usage_error(app):
    code, _ = run(app, TD3_SPECIMEN, "--today", "yesterday")
    assert code == 2
