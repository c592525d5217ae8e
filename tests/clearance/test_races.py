"""Officers recording payments at the same moment: a receipt is used once, nothing is overpaid."""

from __future__ import annotations

import threading

import httpx
from sqlalchemy import func, select

from borderpost.auth.permissions import Role
from borderpost.clearance.models import Payment
from borderpost.db import Database
from tests.cargo.factories import arrival
from tests.cargo.test_api import registered
from tests.clearance.helpers import receipt
from tests.conftest import Api


def race_posts(api: Api, posts: list[tuple[str, dict]]) -> list[httpx.Response]:
    """Each (path, body) POSTed at once as customs, one client (connection) per thread."""
    headers = api.headers(Role.CUSTOMS)
    barrier = threading.Barrier(len(posts))
    results: list[httpx.Response | BaseException | None] = [None] * len(posts)

    def go(n: int) -> None:
        with httpx.Client(base_url=api.server.url + "/api/v1", timeout=60) as client:
            client.get("/crossings", headers=headers)  # connect before the barrier
            barrier.wait()
            try:
                results[n] = client.post(posts[n][0], headers=headers, json=posts[n][1])
            except BaseException as exc:  # reported below
                results[n] = exc

    threads = [threading.Thread(target=go, args=(n,)) for n in range(len(posts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(isinstance(r, httpx.Response) for r in results), results
    return results  # type: ignore[return-value]


def cash(number: str, amount: object) -> dict:
    return {"receipt_number": number, "amount": amount, "currency": "IQD", "method": "cash"}


def test_one_receipt_presented_for_several_trucks_at_once(
    api: Api, crossing_code: str, database: Database
):
    trucks = [registered(api, crossing_code, arrival())["id"] for _ in range(3)]
    for _ in range(3):
        number = receipt()
        responses = race_posts(api, [(f"/trucks/{t}/payments", cash(number, 1000)) for t in trucks])
        assert sorted(r.status_code for r in responses) == [201, 409, 409], [
            r.text for r in responses
        ]
        assert all(
            r.json()["type"].endswith("/receipt-used") for r in responses if r.status_code == 409
        )
        with database.reader() as db:
            count = db.scalar(
                select(func.count()).select_from(Payment).where(Payment.receipt_number == number)
            )
        assert count == 1


def test_receipts_for_the_whole_due_at_once_pay_it_once(api: Api, crossing_code: str):
    truck = registered(api, crossing_code, arrival())
    due = truck["assessment"]["due"]
    path = f"/trucks/{truck['id']}/payments"
    responses = race_posts(api, [(path, cash(receipt(), due)) for _ in range(4)])
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
    assessment = api.get(f"/trucks/{truck['id']}/assessment", Role.CUSTOMS).json()
    assert assessment["paid"] == due and assessment["due"] == 0
