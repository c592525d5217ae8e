"""Plain statements (plain_sql.py) answer what SQLAlchemy would, on both engines, and refuse to be
built for what they could not answer the same way."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, exists, select

from borderpost.audit.models import AuditRecord
from borderpost.auth.models import User, UserCrossing
from borderpost.crossing.models import Crossing
from borderpost.db import Database
from borderpost.errors import DomainError
from borderpost.plain_sql import PlainStatement
from tests.conftest import unique_code

CROSSINGS = (
    select(
        Crossing.code,
        Crossing.country,
        exists().where(UserCrossing.crossing_id == Crossing.id).label("listed"),
    )
    .where(Crossing.name == bindparam("name"))
    .order_by(Crossing.code)
    .limit(5)
)


@pytest.fixture
def crossings(database: Database) -> str:
    """Two crossings of a name of their own, with no user listing them."""
    from borderpost.auth.service import SYSTEM
    from borderpost.crossing import service

    name = f"Plain {unique_code()}"
    with database.transaction() as s:
        for _ in (1, 2):
            service.create_crossing(
                s, code=unique_code(), name=name, country="IRQ", neighbour_country="SYR",
                counterpart_name="X", timezone="Asia/Baghdad", actor=SYSTEM,
            )  # fmt: skip
    return name


def test_the_rows_are_sqlalchemys_with_booleans_as_booleans(
    database: Database, crossings: str
) -> None:
    with database.reader() as s:
        core = [tuple(r) for r in s.execute(CROSSINGS, {"name": crossings})]
        plain = PlainStatement(CROSSINGS).rows(s, {"name": crossings})
    assert len(plain) == 2
    assert plain == core
    assert all(row[2] is False for row in plain)  # SQLite's 0 is given as False


def test_first_is_none_when_nothing_matches(database: Database) -> None:
    with database.reader() as s:
        assert PlainStatement(CROSSINGS).first(s, {"name": "no such name"}) is None


def test_a_nul_character_is_refused_as_by_every_other_statement(database: Database) -> None:
    with database.reader() as s, pytest.raises(DomainError) as refused:
        PlainStatement(CROSSINGS).rows(s, {"name": "Al\x00Qaim"})
    assert refused.value.status == 422


@pytest.mark.parametrize(
    "statement",
    [
        select(AuditRecord.at),  # a date and time: SQLite stores it as text
        select(User.id).where(User.created_at > bindparam("since", type_=AuditRecord.at.type)),
    ],
    ids=["column", "parameter"],
)
def test_a_statement_that_needs_conversion_is_refused(statement) -> None:
    with pytest.raises(TypeError, match="converts nothing"):
        PlainStatement(statement)
