"""Helpers for the passenger tests: documents with fresh numbers, a watchlist, a closure."""

from __future__ import annotations

import random
import string
import uuid
from datetime import date

from tests.conftest import Api

from borderpost.auth.permissions import Role
from borderpost.auth.service import SYSTEM
from borderpost.db import Database
from borderpost.screening import service as screening
from borderpost.traveller.mrz import build_td1, build_td3

# Listed people with names no other test uses; travellers elsewhere get random letter names.
LISTED = [
    ("L-1", "Zubair Fadhil Marzouq al-Qurnawi", "1975-04-09", "SYR"),
    ("L-2", "Ghazwan Mutlaq Hazza al-Rifaei", "1982-11-30", "IRQ"),
]


def install_watchlist(db: Database) -> None:
    csv = "id,name,aliases,date_of_birth,nationality\n" + "".join(
        f"{i},{name},,{born},{nat}\n" for i, name, born, nat in LISTED
    )
    with db.transaction() as s:
        if screening.watchlist_by_name(s, "traveller-tests"):
            return
        watchlist = screening.create_watchlist(
            s, name="traveller-tests", source="tests", actor=SYSTEM
        )
        screening.import_watchlist(
            s, watchlist=watchlist, data=csv.encode(), fmt="csv", filename=None, actor=SYSTEM
        )


def word(rng: random.Random, n: int = 7) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(n))


def number() -> str:
    return "T" + uuid.uuid4().hex[:8].upper()


def passport(
    *,
    surname: str | None = None,
    given_names: str | None = None,
    nationality: str = "SYR",
    issuing_state: str | None = None,
    birth_date: date | None = date(1990, 3, 4),
    expiry_date: date = date(2031, 5, 6),
    document_number: str | None = None,
    td1: bool = False,
) -> tuple[str, str, str]:
    """(mrz, document_number, issuing_state)"""
    rng = random.Random()
    doc_number = document_number or number()
    state = issuing_state or nationality
    build = build_td1 if td1 else build_td3
    mrz = build(
        issuing_state=state,
        surname=surname or word(rng),
        given_names=given_names if given_names is not None else word(rng, 5),
        document_number=doc_number,
        nationality=nationality,
        birth_date=birth_date,
        sex="M",
        expiry_date=expiry_date,
    )
    return mrz, doc_number, state


def move(api: Api, code: str, mrz: str, direction: str = "entry", **extra):
    body = {"direction": direction, "mrz": mrz, "travel_mode": "car"} | extra
    return api.post(f"/crossings/{code}/movements", Role.IMMIGRATION, body)


def close_for_passengers(api: Api, code: str) -> None:
    response = api.post(
        f"/crossings/{code}/status-changes",
        Role.SUPERVISOR,
        {
            "traffic": ["passenger"],
            "state": "closed",
            "reason_category": "security",
            "reason": "Clashes in the area.",
        },
    )
    assert response.status_code == 201, response.text


def visa(
    api: Api,
    document_number: str,
    issuing_state: str,
    nationality: str | None = None,
    *,
    entries: str = "multiple",
    valid_from: str = "2020-01-01",
    valid_until: str = "2040-01-01",
    stay_days: int | None = None,
    kind: str = "visa",
) -> dict:
    """A permit for the document (federal Iraq exempts no nationality from its visa)."""
    body = {
        "kind": kind,
        "number": "V" + uuid.uuid4().hex[:10].upper(),
        "issuing_state": "IRQ",
        "holder": {
            "document_number": document_number,
            "issuing_state": issuing_state,
            "nationality": nationality or issuing_state,
            "surname": "HOLDER",
        },
        "valid_from": valid_from,
        "valid_until": valid_until,
        "stay_days": stay_days,
        "entries": entries,
    }
    response = api.post("/permits", Role.SUPERVISOR, body)
    assert response.status_code == 201, response.text
    return response.json()


def visitor(api: Api, **kw) -> tuple[str, str, str]:
    """A foreign passport (Syrian by default) with a multiple-entry visa for Iraq."""
    mrz, number, state = passport(**kw)
    visa(api, number, state, kw.get("nationality", "SYR"))
    return mrz, number, state
