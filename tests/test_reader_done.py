"""A route that renders its own answer ends its reader there (`Reader.done`): the persons it read
are in the access log before the answer leaves, and an answer whose reads cannot be recorded is
never sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import Depends
from fastapi.responses import Response
from sqlalchemy import text

from borderpost.auth.permissions import Permission as P
from borderpost.auth.permissions import Role
from borderpost.db import Database
from borderpost.transaction import Reader, reading
from borderpost.traveller import service
from tests.audit.test_access_log import entry, log
from tests.conftest import Api, LiveServer, create_role_users, unique_code

PROBE = "/api/v1/probe/{movement_id}"


def probe(movement_id: str, r: Reader = Depends(reading(P.MOVEMENT_READ))) -> Response:
    movement = service.get_movement(r.db, movement_id)
    answer = r.done({"id": movement.id, "crossing_id": movement.crossing_id})
    with pytest.raises(RuntimeError):  # ended: nothing more is read through it
        r.db  # noqa: B018
    return answer


def serve(database: Database) -> tuple[LiveServer, Api]:
    server = LiveServer(database)
    server.app.add_api_route(PROBE, probe, methods=["GET"])
    return server, Api(server, create_role_users(database))


@pytest.fixture
def served(fresh_database: Database) -> Iterator[tuple[LiveServer, Api, str]]:
    server, api = serve(fresh_database)
    try:
        code = unique_code()
        api.post("/crossings", Role.ADMIN, {"code": code, "name": "n", "country": "IRQ",
                 "neighbour_country": "SYR", "counterpart_name": "c",
                 "timezone": "Asia/Baghdad"})  # fmt: skip
        yield server, api, code
    finally:
        server.stop()


def test_done_answers_and_records_the_persons_read(served: tuple[LiveServer, Api, str]):
    server, api, code = served
    movement = entry(api, code)
    response = api.http.get(
        f"{server.url}/api/v1/probe/{movement['id']}", headers=api.headers(Role.IMMIGRATION)
    )
    assert response.status_code == 200, response.text
    assert response.json()["id"] == movement["id"]
    [record] = log(api, subject_id=movement["id"])
    assert record["route"] == "GET " + PROBE and record["subject_type"] == "movement"
    assert record["username"] == api.users[Role.IMMIGRATION] and record["crossing_id"]


def test_done_sends_no_answer_whose_reads_cannot_be_recorded(
    served: tuple[LiveServer, Api, str],
):
    server, api, code = served
    movement = entry(api, code)
    with server.db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE access_record RENAME TO access_record_gone"))
    response = api.http.get(
        f"{server.url}/api/v1/probe/{movement['id']}", headers=api.headers(Role.IMMIGRATION)
    )
    assert response.status_code >= 500
    assert movement["id"] not in response.text
