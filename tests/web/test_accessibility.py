"""Accessibility beyond axe-core's rules (axe itself runs on every screen, in both languages, in
test_layouts.py, on the same page loads as the layout checks)."""

from __future__ import annotations

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser


def test_the_focused_field_is_visibly_marked(watched: Watched) -> None:
    page = watched.page
    page.goto("/login?lang=en")
    page.focus("#login-username")
    focused = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {shadow: s.boxShadow, outline: s.outlineStyle}; }"""
    )
    assert focused["shadow"] != "none" or focused["outline"] != "none", focused
