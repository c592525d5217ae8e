"""Operator-facing behaviour: security headers, request ids, metrics."""

from __future__ import annotations

from borderpost.auth.permissions import Role
from tests.conftest import Api


def test_security_headers_with_a_policy_that_allows_no_inline_script(api: Api):
    response = api.get("/public/crossings", None)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "connect-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers, "HSTS only over https"


def test_every_response_carries_a_request_id_and_echoes_a_safe_one(api: Api):
    assert len(api.get("/public/crossings", None).headers["x-request-id"]) == 16
    echoed = api.http.get("/public/crossings", headers={"X-Request-ID": "booth-7.abc"})
    assert echoed.headers["x-request-id"] == "booth-7.abc"
    unsafe = api.http.get("/public/crossings", headers={"X-Request-ID": "a b<script>"})
    assert (
        unsafe.headers["x-request-id"] != "a b<script>"
        and len(unsafe.headers["x-request-id"]) == 16
    )


def test_metrics_count_requests_by_route_template_not_by_id(api: Api, crossing_code: str):
    api.get(f"/crossings/{crossing_code}", Role.ANALYST)
    text = api.http.get(api.server.url + "/metrics").text
    lines = [
        line for line in text.splitlines() if line.startswith("borderpost_http_requests_total{")
    ]
    assert any(
        'route="/crossings/{code}"' in line or 'route="/api/v1/crossings/{code}"' in line
        for line in lines
    )
    assert not any(crossing_code in line for line in lines), "no ids as label values"
    assert "borderpost_http_request_seconds_bucket" in text
