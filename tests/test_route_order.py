"""The API's routers are included hot paths first (app.DOMAIN_ROUTERS): a request is matched
against the routes in order, so the order is a cost. It must never be a meaning: no route may
answer a path that another route, with the same method, was written for."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from starlette.routing import Match

from borderpost.app import DOMAIN_ROUTERS


def sample_path(template: str) -> str:
    """A path the template matches: every parameter given a plain value."""
    return re.sub(r"\{[^}]+\}", "X1", template)


def shared_paths(routes: list[APIRoute]) -> dict[str, list[str]]:
    """Each route whose own sample path another route also matches in full, with them all."""
    shared = {}
    for route in routes:
        for method in route.methods:
            scope = {
                "type": "http", "method": method, "path": sample_path(route.path),
                "root_path": "", "headers": [],
            }  # fmt: skip
            found = [
                f"{method} {other.path}"
                for other in routes
                if method in other.methods and other.matches(scope)[0] == Match.FULL
            ]
            assert f"{method} {route.path}" in found, (route.path, found)  # the sample is right
            if len(found) > 1:
                shared[f"{method} {route.path}"] = found
    return shared


def test_no_route_shadows_another_whatever_the_routers_order() -> None:
    routes = [r for router in DOMAIN_ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 50
    assert shared_paths(routes) == {}


def test_the_check_sees_a_fixed_segment_where_another_route_has_a_parameter() -> None:
    def endpoint() -> None: ...

    routes = [
        APIRoute("/trucks/{truck_id}", endpoint, methods=["GET"]),
        APIRoute("/trucks/queue", endpoint, methods=["GET"]),
        APIRoute("/trucks/queue", endpoint, methods=["POST"]),
    ]
    assert shared_paths(routes) == {
        "GET /trucks/queue": ["GET /trucks/{truck_id}", "GET /trucks/queue"]
    }
