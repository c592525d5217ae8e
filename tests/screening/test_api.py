"""The screening section of api-v1.md over HTTP."""

from __future__ import annotations

import uuid

from borderpost.auth.permissions import Role
from tests.conftest import Api
from tests.screening.test_service import WATCHLIST_CSV


def new_list(api: Api) -> str:
    response = api.post(
        "/watchlists", Role.ADMIN, {"name": f"list-{uuid.uuid4().hex[:8]}", "source": "test"}
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def upload(api: Api, list_id: str, data: bytes, filename: str, fmt: str | None = None):
    form = {"format": fmt} if fmt else {}
    return api.http.post(
        f"/watchlists/{list_id}/import",
        headers=api.headers(Role.ADMIN),
        files={"file": (filename, data)},
        data=form,
    )


def test_import_and_search(api: Api):
    list_id = new_list(api)
    report = upload(api, list_id, WATCHLIST_CSV, "national.csv")
    assert report.status_code == 200, report.text
    assert report.json() == {"imported": 2, "rejected": [], "warnings": []}
    found = api.post(
        "/screening/search", Role.IMMIGRATION, {"name": "Abd al-Rahman Kazim Al Jaburi"}
    )
    assert found.status_code == 200
    match = found.json()["matches"][0]
    assert match["entry_id"] == "W-1" and 0.0 <= match["score"] <= 1.0
    assert set(match) >= {"entry_id", "list", "name", "matched_alias", "score"}


def test_format_not_guessable_and_wrong_format_are_422(api: Api):
    list_id = new_list(api)
    unknown = upload(api, list_id, WATCHLIST_CSV, "list.bin")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "format"
    liar = upload(api, list_id, WATCHLIST_CSV, "list.xml", fmt="un-xml")
    assert liar.status_code == 422 and liar.json()["errors"][0]["field"] == "file"


def test_search_input_is_validated(api: Api):
    empty = api.post("/screening/search", Role.CUSTOMS, {"name": ""})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "name"
    bad_country = api.post(
        "/screening/search", Role.CUSTOMS, {"name": "Ali Hassan", "nationality": "QQQ"}
    )
    assert (
        bad_country.status_code == 422 and bad_country.json()["errors"][0]["field"] == "nationality"
    )
    assert api.post("/screening/search", Role.ANALYST, {"name": "Ali Hassan"}).status_code == 403
