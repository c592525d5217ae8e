"""/docs: Swagger UI served by the application itself, working under the strict CSP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_from_local_assets_only(watched):
    watched.page.goto("/docs")
    watched.page.wait_for_selector(".swagger-ui .info .title")
    assert "Borderpost" in watched.page.inner_text(".swagger-ui .info .title")
    assert watched.page.locator(".opblock").count() > 20  # one block per operation
