"""Browsers get error pages, API clients problem details, for addresses no page route answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from borderpost.app import create_app
from borderpost.db import Database
from borderpost.errors import DomainError
from tests.conftest import settings_for

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(database: Database) -> Iterator[TestClient]:
    app = create_app(settings_for(database))

    def boom() -> None:
        raise RuntimeError("a bug")

    def forbidden() -> None:
        raise DomainError("No.", slug="forbidden", title="Forbidden", status=403)

    # Outside any page route, like an unknown address: the app-wide handlers answer.
    app.add_api_route("/boom", boom)
    app.add_api_route("/api/v1/boom", boom)
    app.add_api_route("/forbidden", forbidden)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [("/no/such/page", 404, "Page not found"), ("/forbidden", 403, "Not allowed"),
     ("/boom", 500, "Something went wrong")],
)  # fmt: skip
def test_a_browser_gets_a_page(client: TestClient, path: str, status: int, title: str):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f'data-status="{status}"' in response.text and title in response.text
    assert "Traceback" not in response.text and "a bug" not in response.text
    assert "Content-Security-Policy" in response.headers


def test_the_page_speaks_the_browsers_language(client: TestClient):
    response = client.get("/no/such/page?lang=ar", headers=BROWSER)
    assert response.status_code == 404 and '<html lang="ar" dir="rtl"' in response.text


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [("/api/v1/no-such-thing", BROWSER, 404), ("/api/v1/boom", BROWSER, 500),
     ("/no/such/page", {"Accept": "application/json"}, 404),
     ("/boom", {"Accept": "*/*"}, 500)],
)  # fmt: skip
def test_the_api_and_other_clients_get_problem_details(
    client: TestClient, path: str, headers: dict[str, str], status: int
):
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status
