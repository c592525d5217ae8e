#!/usr/bin/env python3
"""Screenshots of the main pages, in English and Arabic, at a desktop's and a phone's width, of the
demo data: docs/screenshots/ (or --out DIR).

Builds the demo database with `borderpost demo --no-serve` into a temporary folder, serves it on a
free local port and drives Debian's chromium with Playwright, logged in as the demo users:

    .venv/bin/python scripts/screenshots.py                 # retake docs/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --only audit --only booth
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
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
CHROMIUM = "/usr/bin/chromium"
CODE = "IQ-QAIM"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
# (file name, role or None for the public, path); a name ending in "-phone" is taken at 390 px.
# The demo runs up to today, so the dashboard is today's; ?until= shows days of the story.
SHOTS = [
    ("public", None, "/"),
    ("public-phone", None, "/"),
    ("login", None, "/login"),
    ("dashboard", Role.SUPERVISOR, f"/crossings/{CODE}"),
    ("dashboard-phone", Role.SUPERVISOR, f"/crossings/{CODE}"),
    ("dashboard-reopening", Role.SUPERVISOR, f"/crossings/{CODE}?until=2025-06-27"),
    ("dashboard-closure", Role.SUPERVISOR, f"/crossings/{CODE}?until=2024-12-19"),
    ("supervisor", Role.SUPERVISOR, f"/crossings/{CODE}/supervisor"),
    ("admission", Role.SUPERVISOR, f"/crossings/{CODE}/admission"),
    ("booth", Role.IMMIGRATION, f"/crossings/{CODE}/booth"),
    ("booth-phone", Role.IMMIGRATION, f"/crossings/{CODE}/booth"),
    ("cargo", Role.CUSTOMS, f"/crossings/{CODE}/cargo"),
    ("reports", Role.ANALYST, f"/crossings/{CODE}/reports"),
    ("assessments", Role.LIAISON, f"/crossings/{CODE}/assessments"),
    ("security", Role.SECURITY, f"/crossings/{CODE}/security"),
    ("users", Role.ADMIN, "/admin/users"),
    ("audit", Role.AUDITOR, "/audit/verify"),
    ("audit-phone", Role.AUDITOR, "/audit/verify"),
    ("access-log", Role.AUDITOR, "/audit/access"),
]
LANGUAGES = ("en", "ar")


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


def load(database: Path) -> Database:
    """The demo as `borderpost demo --no-serve` builds it: the whole story, every chapter."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    subprocess.run(
        [sys.executable, "-m", "borderpost", "demo", "--no-serve", "--database", str(database)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return Database(loader.demo_settings(str(database)).database_url)


def take(browser, server: LiveServer, out: Path, shots: list[tuple[str, Role | None, str]]) -> None:
    """Each shot in each language; one logged-in context per role and width."""
    contexts = {}
    try:
        for name, role, path in shots:
            viewport = PHONE if name.endswith("-phone") else DESKTOP
            key = (role, viewport["width"])
            if key not in contexts:
                context = browser.new_context(base_url=server.url, viewport=viewport)
                if role is not None:
                    page = context.new_page()
                    page.goto("/login")
                    page.fill("#login-username", role.value)
                    page.fill("#login-password", loader.demo_password(role))
                    with page.expect_navigation():
                        page.keyboard.press("Enter")
                    page.close()
                contexts[key] = context
            for lang in LANGUAGES:
                page = contexts[key].new_page()
                page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
                page.wait_for_load_state("networkidle")
                if name.startswith("booth"):
                    scan(page)
                if name == "security":  # the December group arrival, opened
                    with page.expect_navigation():
                        page.click("table.groups a")
                    page.wait_for_load_state("networkidle")
                target = out / f"{name}-{lang}.png"
                page.screenshot(path=str(target), full_page=True)
                page.close()
                print(f"  {target}")
    finally:
        for context in contexts.values():
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the PNGs")
    parser.add_argument("--only", action="append", default=[], help="a shot's name (repeat)")
    args = parser.parse_args()
    shots = [s for s in SHOTS if not args.only or s[0] in args.only]
    if not shots:
        parser.error(f"no such shot; the shots are: {', '.join(s[0] for s in SHOTS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "demo.db"
        db = load(database)
        loaded = time.monotonic()
        server = LiveServer(db, loader.demo_settings(str(database)))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-background-networking"],
                )  # fmt: skip
                try:
                    take(browser, server, args.out, shots)
                finally:
                    browser.close()
        finally:
            server.stop()
            db.dispose()
    done = time.monotonic()
    print(
        f"{len(shots) * len(LANGUAGES)} screenshots in {args.out}: demo loaded in "
        f"{loaded - started:.0f} s, pages taken in {done - loaded:.0f} s"
    )


if __name__ == "__main__":
    main()
