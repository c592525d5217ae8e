"""A crossing read loads only what it shows: its status rows come with it, never one by one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from borderpost.auth.permissions import Role
from tests.conftest import Api
from tests.crossing.test_races import new_crossing


@contextmanager
def statements(api: Api) -> Iterator[list[str]]:
    """The SQL statements the live server runs meanwhile."""
    seen: list[str] = []
    engine = api.server.db.engine

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_crossing_read_is_the_user_check_and_one_query(api: Api, crossing_code: str):
    api.token(Role.ANALYST)
    with statements(api) as seen:
        response = api.get(f"/crossings/{crossing_code}", Role.ANALYST)
    assert response.status_code == 200
    queries = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) <= 2, queries  # the token's user row; the crossing with its statuses


def test_the_list_of_crossings_reads_statuses_in_one_query_whatever_their_number(api: Api):
    for _ in range(3):
        new_crossing(api)
    api.token(Role.ANALYST)
    with statements(api) as seen:
        response = api.get("/crossings", Role.ANALYST)
    assert response.status_code == 200 and len(response.json()) >= 3
    queries = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) <= 3, queries  # user row, crossings, their statuses
