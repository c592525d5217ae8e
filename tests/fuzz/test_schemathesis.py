"""API fuzzing over the OpenAPI schema: no 5xx, and every response matches the schema.

Each operation is called with a token of a role that holds its permission, so the generated
inputs reach the validation and the rules instead of stopping at 403.
"""

from __future__ import annotations

from collections.abc import Iterator

import hypothesis
import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

from borderpost.app import create_app, route_permissions
from borderpost.auth.permissions import ROLE_PERMISSIONS, Role
from borderpost.config import Settings
from tests.conftest import Api, DatabaseFactory, LiveServer, create_role_users

EXAMPLES = 25


@pytest.fixture(scope="session")
def fuzz_api(db_factory: DatabaseFactory) -> Iterator[Api]:
    """A database and server of the fuzzer's own: the risk profiles and watchlists it posts
    must not become the active ones of the other tests."""
    database = db_factory.copy()
    server = LiveServer(database)
    client = Api(server, create_role_users(database))
    yield client
    client.http.close()
    server.stop()
    database.dispose()


@pytest.fixture(scope="session")
def crossing_for_fuzz(fuzz_api: Api) -> str:
    fuzz_api.post(
        "/crossings",
        Role.ADMIN,
        {
            "code": "IQ-FUZZ",
            "name": "Fuzz",
            "country": "IRQ",
            "neighbour_country": "SYR",
            "counterpart_name": "F",
            "timezone": "Asia/Baghdad",
        },
    )
    return "IQ-FUZZ"


# The schema does not depend on the database: build it from an app that never connects.
schema = schemathesis.openapi.from_dict(create_app(Settings(database_url="sqlite://")).openapi())
# Logging out takes no input and would revoke the tokens the other cases run with: it is tested in
# tests/auth/test_security.py instead.
schema = schema.exclude(path_regex=r"/auth/logout$")
PERMISSIONS = route_permissions()


def role_for(method: str, path: str) -> Role | None:
    permission = PERMISSIONS.get((method, path))
    if permission is None:
        return None
    return next(role for role, granted in ROLE_PERMISSIONS.items() if permission in granted)


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
)
def test_api_conforms_and_never_fails(case, fuzz_api: Api, crossing_for_fuzz: str):
    role = role_for(case.method.upper(), case.path)
    headers = fuzz_api.headers(role) if role else {}
    # JSON Schema cannot say which strings are real country codes, time zones or HS codes, so
    # "schema-valid input must be accepted" does not hold here; every other check does.
    case.call_and_validate(
        base_url=fuzz_api.server.url, headers=headers, excluded_checks=[positive_data_acceptance]
    )
