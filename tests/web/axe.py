"""axe-core (npm, served from static/vendor) run on the page a browser test has open."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return {passed: result.passes.length, all: result.violations.length, serious: result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))};
}"""


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe's serious and critical violations on the open page (it must have run its rules)."""
    page.add_script_tag(url="/static/vendor/axe.min.js")
    result = page.evaluate(RUN_AXE)
    assert result["passed"] > 10, (page.url, result)  # axe ran its rules
    return result["serious"]
