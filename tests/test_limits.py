"""Limits at the edge: oversized, slow and malformed bodies, NUL characters, dates out of range.

Each is a 4xx problem that names what is wrong, never a 500, and carries the request id and the
security headers like every answer.
"""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Iterator

import httpx
import pytest

from borderpost.auth.permissions import Role
from borderpost.db import Database
from tests.conftest import PASSWORD, Api, LiveServer, settings_for

KB = 1024
MB = 1024 * KB


@pytest.fixture(scope="module")
def small_server(database: Database) -> Iterator[LiveServer]:
    """Small limits, so a test sends little to cross them."""
    settings = settings_for(database).model_copy(
        update={"max_body_bytes": 64 * KB, "max_import_bytes": 1 * MB, "body_timeout_seconds": 1}
    )
    server = LiveServer(database, settings)
    yield server
    server.stop()


def _status_and_body(raw: bytes) -> tuple[int, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body) if body.strip() else {}


def _read_response(sock: socket.socket) -> bytes:
    sock.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _head(path: str, token: str, extra: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\n{extra}\r\n"
    ).encode()


def test_a_declared_oversized_body_is_413_before_a_byte_is_read(small_server: LiveServer, api: Api):
    with socket.create_connection(("127.0.0.1", small_server.port)) as sock:
        sock.sendall(
            _head("/api/v1/crossings", api.token(Role.ADMIN), "Content-Length: 262144000\r\n")
        )
        raw = _read_response(sock)  # answered without our sending any of the 250 MB
    status, body = _status_and_body(raw)
    assert status == 413 and body["type"] == "/problems/too-large"
    assert b"x-request-id" in raw.lower() and b"x-content-type-options" in raw.lower()


def test_a_streamed_body_is_cut_off_once_past_the_limit(small_server: LiveServer, api: Api):
    """Chunked, no Content-Length: the server counts and answers 413 long before 250 MB."""
    chunk = b"x" * (64 * KB)
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", small_server.port)) as sock:
        sock.sendall(
            _head("/api/v1/crossings", api.token(Role.ADMIN), "Transfer-Encoding: chunked\r\n")
        )
        while sent < 250 * MB:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        raw = _read_response(sock)
    status, body = _status_and_body(raw)
    assert status == 413 and body["type"] == "/problems/too-large"
    assert sent < 50 * MB, f"the server read {sent} bytes before refusing"


def test_list_imports_have_their_own_larger_limit(small_server: LiveServer, api: Api):
    http = httpx.Client(base_url=small_server.url + "/api/v1", timeout=30)
    headers = {"Authorization": f"Bearer {api.token(Role.ADMIN)}"}
    watchlist = http.post("/watchlists", json={"name": "Big", "source": "t"}, headers=headers)
    assert watchlist.status_code == 201, watchlist.text
    path = f"/watchlists/{watchlist.json()['id']}/import"
    rows = "id,name\n" + "".join(f"E{i},Name Number {i}\n" for i in range(8000))
    assert 64 * KB < len(rows) < 1 * MB
    accepted = http.post(path, files={"file": ("list.csv", rows)}, headers=headers)
    assert accepted.status_code == 200, accepted.text
    too_big = http.post(path, files={"file": ("list.csv", "x" * (2 * MB))}, headers=headers)
    assert too_big.status_code == 413
    big_json = http.post("/crossings", content=b"[" + b"1," * (40 * KB) + b"1]", headers=headers)
    assert big_json.status_code == 413


def test_a_stalled_body_is_408(small_server: LiveServer, api: Api):
    with socket.create_connection(("127.0.0.1", small_server.port)) as sock:
        sock.sendall(
            _head("/api/v1/crossings", api.token(Role.ADMIN), "Content-Length: 100\r\n")
            + b'{"code": '
        )
        raw = _read_response(sock)  # nothing more is sent: the server gives up after 1 s
    status, body = _status_and_body(raw)
    assert status == 408 and body["type"] == "/problems/request-timeout"


def test_too_many_form_fields_and_malformed_multipart_are_400(api: Api):
    headers = api.headers(Role.ADMIN)
    fields = "&".join(f"f{i}=1" for i in range(1001))
    many = api.http.post(
        "/auth/token",
        content=fields,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert many.status_code == 400 and "fields" in many.json()["detail"]
    many_parts = api.http.post(
        "/watchlists/x/import",
        files={f"f{i}": (None, "1") for i in range(1001)},
        headers=headers,
    )
    assert many_parts.status_code == 400
    no_boundary = api.http.post(
        "/watchlists/x/import",
        content=b"garbage",
        headers={**headers, "Content-Type": "multipart/form-data"},
    )
    assert no_boundary.status_code == 400
    assert no_boundary.json()["type"] == "/problems/bad-request"


def test_too_deep_json_is_400_never_500(api: Api):
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000):
        response = api.http.post(
            "/crossings",
            content=body,
            headers={**api.headers(Role.ADMIN), "Content-Type": "application/json"},
        )
        assert response.status_code == 400, response.text
        assert response.headers["x-request-id"]


def _page_client(api: Api, role: Role) -> httpx.Client:
    http = httpx.Client(base_url=api.server.url, follow_redirects=False, timeout=30)
    page = http.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = http.post(
        "/login", data={"username": api.users[role], "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return http


def test_pages_answer_malformed_forms_with_an_error_page_not_a_500(api: Api, crossing_code: str):
    http = _page_client(api, Role.SECURITY)
    action = f"/crossings/{crossing_code}/security/groups"
    many = http.post(
        action,
        content="&".join(f"f{i}=1" for i in range(1001)),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert many.status_code == 400 and "<html" in many.text.lower()
    broken = http.post(action, content=b"junk", headers={"Content-Type": "multipart/form-data"})
    assert broken.status_code == 400
    with_nul = http.post(action, data={"description": "a\x00b", "csrf_token": "x"})
    assert with_nul.status_code == 422


# --- NUL characters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "role", "body", "field"),
    [
        ("/crossings", Role.ADMIN, {"code": "IQ-NUL", "name": "a\x00b"}, "name"),
        ("/screening/search", Role.SECURITY, {"name": "Ahmed\x00"}, "name"),
        ("/watchlists", Role.ADMIN, {"name": "L", "source": "s\x00"}, "source"),
    ],
)
def test_nul_in_a_json_field_is_422_naming_the_field(
    api: Api, path: str, role: Role, body: dict, field: str
):
    response = api.post(path, role, body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


def test_nul_in_nested_traveller_and_cargo_fields_names_the_field(api: Api, crossing_code: str):
    group = api.post(
        f"/crossings/{crossing_code}/group-arrivals",
        Role.SECURITY,
        {"category": "refugees", "description": "Families", "arrived_at": "2025-06-20T06:00:00Z"},
    )
    assert group.status_code == 201, group.text
    persons = api.post(
        f"/group-arrivals/{group.json()['id']}/persons",
        Role.SECURITY,
        {"persons": [{"surname": "HASSAN", "given_names": "Al\x00i"}]},
    )
    assert persons.status_code == 422, persons.text
    assert persons.json()["errors"][0]["field"] == "persons[0].given_names"
    truck = api.post(
        f"/crossings/{crossing_code}/trucks", Role.CUSTOMS, {"plate": "AB\x00", "direction": "x"}
    )
    assert truck.status_code == 422
    assert "plate" in [e["field"] for e in truck.json()["errors"]]


def test_nul_in_a_query_parameter_is_422_naming_it(api: Api):
    response = api.get(
        "/travellers", Role.IMMIGRATION, params={"document_number": "A\x00", "issuing_state": "IRQ"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "document_number"
    assert response.headers["x-request-id"] and response.headers["x-frame-options"] == "DENY"


# --- dates far in the past or the future --------------------------------------------------------


@pytest.mark.parametrize(
    "when", ["9999-12-31T00:00:00Z", "1899-01-01T00:00:00Z", "0001-01-01T00:00:00Z"]
)
def test_group_arrivals_far_in_the_past_or_future_are_422(api: Api, crossing_code: str, when: str):
    response = api.post(
        f"/crossings/{crossing_code}/group-arrivals",
        Role.SECURITY,
        {"category": "refugees", "description": "Families", "arrived_at": when},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "arrived_at"


def test_a_handover_dated_next_year_is_422(api: Api, crossing_code: str):
    group = api.post(
        f"/crossings/{crossing_code}/group-arrivals",
        Role.SECURITY,
        {"category": "evacuees", "description": "Bus", "arrived_at": "2025-06-20T06:00:00Z"},
    ).json()
    person = api.post(
        f"/group-arrivals/{group['id']}/persons",
        Role.SECURITY,
        {"persons": [{"surname": "HASSAN", "given_names": "ALI"}]},
    )
    assert person.status_code in (200, 201), person.text
    people = api.get(f"/group-arrivals/{group['id']}", Role.SECURITY).json()
    ids = [p["id"] for p in people["persons"]["items"]]
    response = api.post(
        f"/group-arrivals/{group['id']}/handovers",
        Role.SECURITY,
        {"person_ids": ids, "to": "Army", "handed_over_at": "2999-01-01T00:00:00Z"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "handed_over_at"


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=9999-12-31", "from"), ("to=9999-12-31", "to"), ("from=1000-01-01", "from")],
)
def test_statistics_ranges_far_out_are_422(api: Api, crossing_code: str, query: str, field: str):
    response = api.get(f"/crossings/{crossing_code}/statistics?{query}", Role.ANALYST)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    fine = api.get(
        f"/crossings/{crossing_code}/statistics?from=2025-01-01&to=2025-12-31", Role.ANALYST
    )
    assert fine.status_code == 200


def test_dashboard_until_far_out_is_422_not_500(api: Api, crossing_code: str):
    http = _page_client(api, Role.SUPERVISOR)
    assert http.get(f"/crossings/{crossing_code}?until=9999-12-31").status_code == 422
    assert http.get(f"/crossings/{crossing_code}?until=1000-01-01").status_code == 422
    assert http.get(f"/crossings/{crossing_code}?until=2025-06-14").status_code == 200
    reports = http.get(f"/crossings/{crossing_code}/reports?from=9999-12-01&to=9999-12-31")
    assert reports.status_code == 422


def test_the_shared_bounds_for_event_times_and_report_days():
    from datetime import UTC, date, datetime, timedelta

    from borderpost.validation import check_event_time, check_report_day

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert check_event_time(now + timedelta(hours=23), now=now)  # a fast clock is tolerated
    for bad in (now + timedelta(days=2), datetime(1999, 12, 31, 23, 0, tzinfo=UTC)):
        with pytest.raises(ValueError):
            check_event_time(bad, now=now)
    with pytest.raises(ValueError, match="time zone"):
        check_event_time(datetime(2025, 1, 1), now=now)
    today = date(2026, 12, 1)
    assert check_report_day(date(2027, 11, 30), today=today) == date(2027, 11, 30)
    for bad in (date(2028, 1, 1), date(1999, 12, 31), date.max):
        with pytest.raises(ValueError):
            check_report_day(bad, today=today)
