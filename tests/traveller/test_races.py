"""Two booths at the same moment: a race on a unique row answers 2xx (or a 409), never a 5xx."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from passengers import install_watchlist, passport, visa
from sqlalchemy import func, select, update
from tests.conftest import Api
from tests.screening.racing import race

from borderpost.auth.permissions import Role
from borderpost.db import Database, utcnow
from borderpost.traveller import service
from borderpost.traveller.models import Traveller

ROUNDS = 6  # races per test: one round may serialise by chance, six in a row hardly ever do
BOOTHS = 3


@pytest.fixture(scope="module", autouse=True)
def _watchlist(database: Database) -> None:
    install_watchlist(database)


def test_two_booths_register_the_same_new_document(
    api: Api, crossing_code: str, database: Database
):
    for _ in range(ROUNDS):
        mrz, number, state = passport(surname="RACER", given_names="SAMI")
        visa(api, number, state)
        body = {"direction": "entry", "mrz": mrz, "travel_mode": "car"}
        responses = race(
            api, f"/crossings/{crossing_code}/movements", [body] * BOOTHS, Role.IMMIGRATION
        )
        assert [r.status_code for r in responses] == [201] * BOOTHS, [r.text for r in responses]
        with database.reader() as db:
            rows = db.scalar(
                select(func.count())
                .select_from(Traveller)
                .where(Traveller.issuing_state == state, Traveller.document_number == number)
            )
        assert rows == 1
        ids = {r.json()["traveller"]["document_number"] for r in responses}
        assert ids == {number}
        # the row lock orders them: one entry admitted, the others refused as already in
        decisions = sorted(r.json()["decision"] for r in responses)
        assert decisions.count("admitted") == 1, decisions


def test_upsert_keeps_one_row_with_the_latest_reading(database: Database):
    """A known document keeps its row (id, first seen, last crossing) and takes the new reading."""
    _, number, _ = passport()
    values = {
        "issuing_state": "SYR",
        "document_number": number,
        "document_type": "P",
        "nationality": "SYR",
        "surname": "X",
        "given_names": "Y",
        "birth_date": None,
        "sex": "M",
        "expiry_date": date(2031, 1, 1),
        "first_seen_at": utcnow(),
    }
    with database.transaction() as db:
        first_id, last, _ = service.upsert_traveller(db, {**values, "id": uuid.uuid4().hex})
        assert last is None
        first_seen = db.scalar(select(Traveller.first_seen_at).where(Traveller.id == first_id))
        db.execute(update(Traveller).where(Traveller.id == first_id).values(last_crossed="entry"))
        again_id, again_last, _ = service.upsert_traveller(
            db,
            {**values, "id": uuid.uuid4().hex, "surname": "RENEWED", "first_seen_at": utcnow()},
        )
        assert (again_id, again_last) == (first_id, "entry")
        again = db.execute(
            select(Traveller.surname, Traveller.first_seen_at).where(Traveller.id == first_id)
        ).one()
        assert tuple(again) == ("RENEWED", first_seen)
    with database.reader() as db:
        rows = db.scalars(select(Traveller).where(Traveller.document_number == number)).all()
        assert [(t.id, t.surname) for t in rows] == [(first_id, "RENEWED")]
