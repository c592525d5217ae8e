"""`borderpost screen` through typer's CliRunner, on a tiny app built with register()."""

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from borderpost.cli.screen import register

WATCHLIST = """id,name,aliases,date_of_birth,nationality
W1,Abdulrahman Kadhim Hassan al-Jubouri,عبد الرحمن كاظم حسن الجبوري,1975-03-02,IRQ
W2,Khalid Salih Hussein al-Tikriti,,1980,IRQ
W3,,empty name row,,
"""
QUERIES = """id,name,birth_date,nationality
q1,ALJUBOURI ABDULRAHMAN KADHIM,1975-03-02,IRQ
q2,Abdulrahman Kadhim Hassan al-Tikriti,,
q3,خالد صالح حسين التكريتي,,
q4,12345,,
"""


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:  # a group, so that the command is called by its name
        pass

    register(app)
    return app


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(app, *args):
    return CliRunner().invoke(app, ["screen", *args])


def test_one_json_line_per_query(app, tmp_path):
    result = run(
        app, write(tmp_path, "q.csv", QUERIES), "--watchlist", write(tmp_path, "w.csv", WATCHLIST)
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["q1", "q2", "q3", "q4"]
    assert [m["entry_id"] for m in lines[0]["matches"]] == ["W1"]
    assert set(lines[0]["matches"][0]) == {"entry_id", "name", "score"}
    assert lines[1]["matches"] == []  # another family name
    assert [m["entry_id"] for m in lines[2]["matches"]] == ["W2"]  # Arabic script query
    assert lines[3]["matches"] == [] and "letters" in lines[3]["error"]


def test_threshold_option(app, tmp_path):
    args = [write(tmp_path, "q.csv", QUERIES), "--watchlist", write(tmp_path, "w.csv", WATCHLIST)]
    low = run(app, *args, "--threshold", "0.1")
    second = json.loads(low.stdout.splitlines()[1])
    assert [m["entry_id"] for m in second["matches"]][:1] == ["W1"]
    scores = [m["score"] for m in second["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_only_id_and_name_needed(app, tmp_path):
    queries = write(tmp_path, "q.csv", "id,name\nx,Khaled Saleh Husein Altikriti\n")
    result = run(app, queries, "--watchlist", write(tmp_path, "w.csv", WATCHLIST))
    assert json.loads(result.stdout)["matches"][0]["entry_id"] == "W2"


def test_bad_watchlist_refused(app, tmp_path):
    result = run(
        app,
        write(tmp_path, "q.csv", QUERIES),
        "--watchlist",
        write(tmp_path, "w.csv", "who,what\n1,2\n"),
    )
    assert result.exit_code == 2


def test_bad_queries_refused(app, tmp_path):
    result = run(
        app,
        write(tmp_path, "q.csv", "name\nAli\n"),
        "--watchlist",
        write(tmp_path, "w.csv", WATCHLIST),
    )
    assert result.exit_code == 2
