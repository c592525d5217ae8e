#!/usr/bin/env python3
"""Screenshots of the main pages, in English and Arabic, of the demo data: docs/screenshots/.

Builds the demo database (`borderpost demo --no-serve`), serves it on a free local port and
drives Debian's chromium with Playwright:  .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.conftest import LiveServer  # noqa: E402

from borderpost.auth import service as auth  # noqa: E402
from borderpost.auth.permissions import Role  # noqa: E402
from borderpost.auth.service import SYSTEM  # noqa: E402
from borderpost.db import Database  # noqa: E402
from borderpost.demo import loader  # noqa: E402

PASSWORD = "screenshots-only-Qaim-2025"


def load(database: str) -> Database:
    """The demo's story, through the same chapters as `borderpost demo`, with a password of
    our own for the users (the screenshots must not depend on the demo's)."""
    from borderpost.demo import crossing_story
    from borderpost.migrations.run import upgrade

    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    db = Database(loader.demo_settings(database).database_url)
    upgrade(db.engine)
    actors = {}
    with db.transaction() as s:
        for name, role, country in loader.DEMO_USERS:
            user = auth.create_user(
                s, username=name, password=PASSWORD, role=role, country=country, actor=SYSTEM
            )
            actors[role] = auth.actor_of(user)
    crossing_story.closure(db, actors, lambda _t: None)
    crossing_story.road_to_reopening(db, actors, lambda _t: None)
    return db


OUT = ROOT / "docs" / "screenshots"
CODE = "IQ-QAIM"
# (file name, role or None for the public, path)
SHOTS = [
    ("public", None, "/"),
    ("login", None, "/login"),
    ("dashboard", Role.SUPERVISOR, f"/crossings/{CODE}?until=2024-12-19"),
    ("supervisor", Role.SUPERVISOR, f"/crossings/{CODE}/supervisor"),
    ("assessments", Role.LIAISON, f"/crossings/{CODE}/assessments"),
    ("security", Role.SECURITY, f"/crossings/{CODE}/security"),
]


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
                        context = browser.new_context(
                            base_url=server.url, viewport={"width": 1280, "height": 900}
                        )
                        page = context.new_page()
                        if role is not None:
                            page.goto("/login")
                            page.fill("#login-username", role.value)
                            page.fill("#login-password", PASSWORD)
                            with page.expect_navigation():
                                page.keyboard.press("Enter")
                        sep = "&" if "?" in path else "?"
                        page.goto(f"{path}{sep}lang={lang}")
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
