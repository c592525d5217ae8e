"""A short crash test on each engine (bench/crash.py runs it longer)."""

from __future__ import annotations

from bench import crash

from borderpost.db import Database


def test_acknowledged_writes_survive_sigkill_exactly_once(fresh_database: Database):
    url = fresh_database.url
    fresh_database.dispose()
    report = crash.run(url, kills=3, clients=3, seed=7)
    assert report.kills == 3
    assert report.acknowledged > 10
    assert report.acknowledged == report.attempts, "every write was finally acknowledged"
    assert report.missing == [] and report.duplicated == []
    assert report.audit_ok
