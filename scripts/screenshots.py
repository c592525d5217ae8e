#!/usr/bin/env python3
"""Screenshots of the main pages, in English and Arabic, of the demo data: docs/screenshots/.

Builds the demo database (`borderpost demo --no-serve`), serves it on a free local port and
drives Debian's chromium with Playwright:  .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.conftest import LiveServer  # noqa: E402

from borderpost.auth.permissions import Role  # noqa: E402
from borderpost.db import Database  # noqa: E402
from borderpost.demo import loader  # noqa: E402
from borderpost.traveller.mrz_build import build_td3  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CODE = "IQ-QAIM"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
# (file name, role or None for the public, path); the demo runs up to today, so the dashboard
# is today's, and ?until= shows days of the story as they stood.
SHOTS = [
    ("public", None, "/"),
    ("public-phone", None, "/"),
    ("login", None, "/login"),
    ("dashboard", Role.SUPERVISOR, f"/crossings/{CODE}"),
    ("dashboard-phone", Role.SUPERVISOR, f"/crossings/{CODE}"),
    ("dashboard-reopening", Role.SUPERVISOR, f"/crossings/{CODE}?until=2025-06-27"),
    ("dashboard-closure", Role.SUPERVISOR, f"/crossings/{CODE}?until=2024-12-19"),
    ("supervisor", Role.SUPERVISOR, f"/crossings/{CODE}/supervisor"),
    ("booth", Role.IMMIGRATION, f"/crossings/{CODE}/booth"),
    ("cargo", Role.CUSTOMS, f"/crossings/{CODE}/cargo"),
    ("reports", Role.ANALYST, f"/crossings/{CODE}/reports"),
    ("assessments", Role.LIAISON, f"/crossings/{CODE}/assessments"),
    ("security", Role.SECURITY, f"/crossings/{CODE}/security"),
]


def scan(page) -> None:
    """The booth with a decision: a traveller on the demo watchlist, referred."""
    mrz = build_td3(
        issuing_state="IRQ",
        surname="al-Mashhadani",
        given_names="Marwan Khalaf Dheyab",
        document_number="A7731905",
        nationality="IRQ",
        birth_date=date(1979, 3, 14),
        sex="M",
        expiry_date=date(2031, 5, 1),
    )
    page.fill("#booth-mrz", mrz)
    with page.expect_navigation():
        page.press("#booth-mrz", "Control+Enter")
    page.wait_for_load_state("networkidle")


def load(database: str) -> Database:
    """What `borderpost demo --no-serve` builds: the whole story, every domain's chapters."""
    loader.load_demo(database)
    return Database(loader.demo_settings(database).database_url)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        database = str(Path(tmp) / "demo.db")
        db = load(database)
        server = LiveServer(db)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=[
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                    ],
                )
                for name, role, path in SHOTS:
                    for lang in ("en", "ar"):
                        viewport = PHONE if name.endswith("-phone") else DESKTOP
                        context = browser.new_context(base_url=server.url, viewport=viewport)
                        page = context.new_page()
                        if role is not None:
                            page.goto("/login")
                            page.fill("#login-username", role.value)
                            page.fill("#login-password", loader.demo_password(role))
                            with page.expect_navigation():
                                page.keyboard.press("Enter")
                        sep = "&" if "?" in path else "?"
                        page.goto(f"{path}{sep}lang={lang}")
                        page.wait_for_load_state("networkidle")
                        if name == "booth":
                            scan(page)
                        if name == "security":  # the December group arrival, opened
                            with page.expect_navigation():
                                page.click("table.groups a")
                            page.wait_for_load_state("networkidle")
                        target = OUT / f"{name}-{lang}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(f"  {target.relative_to(ROOT)}")
                        context.close()
                browser.close()
        finally:
            server.stop()
            db.dispose()


if __name__ == "__main__":
    main()
