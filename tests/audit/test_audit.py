"""The audit chain: written with every change, append-only, and verify() catches tampering."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from borderpost.audit import service as audit
from borderpost.audit import triggers
from borderpost.auth.service import SYSTEM
from borderpost.cli.main import app as cli
from borderpost.crossing import service as crossings
from borderpost.crossing.rules import ReasonCategory, State, Traffic
from borderpost.db import Database


def populate(db: Database, n: int = 3) -> None:
    with db.transaction() as s:
        crossing = crossings.create_crossing(
            s,
            code="IQ-AUDIT",
            name="A",
            country="IRQ",
            neighbour_country="SYR",
            counterpart_name="B",
            timezone="Asia/Baghdad",
            actor=SYSTEM,
        )
    for n_ in range(n):
        with db.transaction() as s:
            crossing = crossings.get_crossing(s, "IQ-AUDIT")
            state = State.CLOSED if n_ % 2 == 0 else State.OPEN
            crossings.change_status(
                s,
                crossing=crossing,
                traffic=[Traffic.CARGO],
                state=state,
                reason_category=ReasonCategory.WEATHER,
                reason="dust storm",
                assessment_id=None,
                actor=SYSTEM,
            )


def tamper(db: Database, sql: str) -> None:
    """Change the log behind the application's back: drop the guard triggers first."""
    with db.engine.begin() as conn:
        triggers.drop(conn)
        conn.execute(text(sql))
        triggers.create(conn)


def test_every_change_writes_one_chained_record(fresh_database: Database):
    populate(fresh_database, 3)
    with fresh_database.transaction() as s:
        records = list(reversed(audit.list_records(s, limit=100)))
        result = audit.verify(s)
    assert [r.action for r in records] == [
        "crossing.create",
        "crossing.status_change",
        "crossing.status_change",
        "crossing.status_change",
    ]
    assert records[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(records))
    assert records[1].before == {"cargo": "open"} and records[1].after["state"] == "closed"
    assert result.ok and result.records == 4 and result.head == records[-1].hash


def test_a_failed_change_writes_no_record(fresh_database: Database):
    populate(fresh_database, 1)
    with pytest.raises(Exception), fresh_database.transaction() as s:  # noqa: B017
        crossing = crossings.get_crossing(s, "IQ-AUDIT")
        crossings.change_status(  # cargo is already closed: refused
            s,
            crossing=crossing,
            traffic=[Traffic.CARGO],
            state=State.CLOSED,
            reason_category=ReasonCategory.WEATHER,
            reason="again",
            assessment_id=None,
            actor=SYSTEM,
        )
    with fresh_database.transaction() as s:
        assert audit.verify(s).records == 2


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_record SET actor = 'x'", "DELETE FROM audit_record"]
)
def test_the_database_refuses_updates_and_deletes(fresh_database: Database, statement: str):
    populate(fresh_database, 1)
    with pytest.raises(DBAPIError), fresh_database.engine.begin() as conn:
        conn.execute(text(statement))
    with fresh_database.transaction() as s:
        assert audit.verify(s).ok


def run_verify(db: Database, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.setenv("BORDERPOST_DATABASE_URL", db.url)
    result = CliRunner().invoke(cli, ["audit", "verify", *args])
    return result.exit_code, json.loads(result.stdout.splitlines()[0])


def test_cli_verify_catches_a_record_changed_in_the_database(
    fresh_database: Database, monkeypatch: pytest.MonkeyPatch
):
    populate(fresh_database, 3)
    code, report = run_verify(fresh_database, monkeypatch)
    assert code == 0 and report["ok"] and report["records"] == 4
    tamper(fresh_database, "UPDATE audit_record SET actor = 'someone else' WHERE id = 2")
    code, report = run_verify(fresh_database, monkeypatch)
    assert code == 1
    assert report["ok"] is False and report["first_bad_id"] == 2


def test_verify_catches_a_removed_record(fresh_database: Database, monkeypatch: pytest.MonkeyPatch):
    populate(fresh_database, 3)
    tamper(fresh_database, "DELETE FROM audit_record WHERE id = 3")
    code, report = run_verify(fresh_database, monkeypatch)
    assert code == 1 and report["first_bad_id"] == 4


def test_verify_with_an_earlier_head_catches_a_log_cut_short(
    fresh_database: Database, monkeypatch: pytest.MonkeyPatch
):
    populate(fresh_database, 3)
    _, report = run_verify(fresh_database, monkeypatch)
    head = report["head"]
    assert run_verify(fresh_database, monkeypatch, "--head", head)[0] == 0
    tamper(fresh_database, "DELETE FROM audit_record WHERE id = 4")
    assert run_verify(fresh_database, monkeypatch)[0] == 0, "a clean cut keeps the chain consistent"
    code, report = run_verify(fresh_database, monkeypatch, "--head", head)
    assert code == 1 and "expected head" in report["problem"]


def test_audit_api_lists_newest_first_and_verifies(api, crossing_code):
    from borderpost.auth.permissions import Role

    listed = api.get("/audit?limit=5", Role.AUDITOR).json()
    ids = [r["id"] for r in listed["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 5
    assert listed["items"][0]["action"] == "crossing.create"
    verified = api.get("/audit/verify", Role.AUDITOR).json()
    assert verified["ok"] is True and verified["records"] >= ids[0]
    assert api.get("/audit", Role.SUPERVISOR).status_code == 403


def test_records_with_arabic_text_and_no_before_verify(fresh_database: Database):
    """On PostgreSQL the database hashes the record: its bytes must be the application's."""
    with fresh_database.transaction() as s:
        audit.record(
            s,
            actor="officer (immigration)",
            action="statement.publish",
            subject_type="statement",
            subject_id="s1",
            after={"text_ar": "المعبر مفتوح", "n": 3, "ok": True, "none": None},
        )
        audit.record(
            s, actor="system", action="x", subject_type="t", subject_id="s2", before={"a": 1.5}
        )
        result = audit.verify(s)
        records = audit.list_records(s, limit=2)
    assert result.ok, result.problem
    assert result.records == 2 and result.head == records[0].hash
    assert records[0].before == {"a": 1.5} and records[1].after["text_ar"] == "المعبر مفتوح"
