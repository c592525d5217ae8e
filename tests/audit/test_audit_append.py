"""Appending to the chain inside transactions: savepoints, rollbacks, concurrent writers, and
values whose bytes the database must hash exactly as the application does (PostgreSQL hashes
records in `audit_record_append`; verify() recomputes them in Python)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from borderpost.audit import service as audit
from borderpost.audit.models import AuditRecord
from borderpost.db import Database


def actions_after(db: Database, last_id: int) -> list[str]:
    with db.reader() as s:
        return list(s.scalars(select(AuditRecord.action).where(AuditRecord.id > last_id)))


def last_id(db: Database) -> int:
    with db.reader() as s:
        return s.scalar(select(func.coalesce(func.max(AuditRecord.id), 0)))


def test_awkward_values_hash_the_same_in_the_database(fresh_database: Database):
    values = [
        {"f": 1e16, "g": 1e-7, "h": -0.0, "sum": 0.1 + 0.2, "big": 2**70, "neg": -(2**64)},
        {"emoji": "\U0001f600", "ar": "معبر القائم", "combining": "e\u0301", "sep": "\u2028"},
        {"nested": {"z": [1, {"b": None, "a": True}], "ä": {"ß": "x"}}, "": ""},
        {"control": "\x01\x1f\x7f", "quotes": 'a"b\\c/d', "nul in json": "a\x00b"},
        None,
        {"huge": 123456789012345678901234567890, "tiny": -1.5e300},
    ]
    with fresh_database.transaction() as s:
        for n, value in enumerate(values):
            audit.record(
                s, actor="é (a)", action="x", subject_type="t", subject_id=f"ü{n}",
                before=value, after=value,
            )  # fmt: skip
    with fresh_database.reader() as s:
        result = audit.verify(s)
    assert result.ok, result.problem
    assert result.records == len(values)


def test_a_rolled_back_savepoint_takes_its_records_with_it(fresh_database: Database):
    start = last_id(fresh_database)
    with fresh_database.transaction() as s:
        s.execute(text("SELECT 1"))
        try:
            with s.begin_nested():
                audit.record(s, actor="a", action="inside", subject_type="t", subject_id="1")
                raise RuntimeError("the savepoint's work fails")
        except RuntimeError:
            pass
        audit.record(s, actor="a", action="outside", subject_type="t", subject_id="2")
    assert actions_after(fresh_database, start) == ["outside"]


def test_a_rollback_right_after_a_commit_forgets_the_records(fresh_database: Database):
    """As a write with an Idempotency-Key: the claim commits, the route records and fails, the
    work is rolled back and the key's release commits."""
    start = last_id(fresh_database)
    s = fresh_database.writer()
    try:
        s.execute(text("SELECT 1"))
        s.commit()
        audit.record(s, actor="a", action="failed", subject_type="t", subject_id="1")
        s.rollback()
        s.execute(text("SELECT 1"))
        s.commit()
    finally:
        s.close()
    assert actions_after(fresh_database, start) == []


def test_concurrent_writers_keep_one_chain(fresh_database: Database):
    writers, each = 6, 15
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(each):
                s = fresh_database.writer()
                try:
                    s.execute(text("SELECT 1"))
                    for part in "ab":
                        audit.record(
                            s, actor="a", action="c", subject_type="t", subject_id=f"{n}-{i}-{part}"
                        )
                    if i % 2:  # both ways of committing
                        audit.commit(s)
                    else:
                        s.commit()
                finally:
                    s.close()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    with fresh_database.reader() as s:
        result = audit.verify(s)
    assert result.ok, result.problem
    assert result.records == writers * each * 2
