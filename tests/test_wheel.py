"""A wheel built from a clean checkout carries the built browser assets and serves styled pages.

The checkout is the repository's tracked files copied into a temporary folder (no static/vendor:
it is git-ignored); `python -m build` makes the sdist and the wheel from it, as a release would.
The build uses this environment (no isolation: no download) and the repository's node_modules
(`make setup` runs `npm ci`). The wheel is then installed into a folder of its own with
--no-deps and imported from there, its dependencies from this environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ["pico.min.css", "htmx.min.js", "chart.umd.min.js", "versions.json"]


def _tracked_files() -> list[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [name for name in listed.decode().split("\0") if name]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    modules = ROOT / "node_modules"
    if not (modules / "htmx.org").exists():
        pytest.skip("no node_modules: run `make setup` (npm ci) first")
    base = tmp_path_factory.mktemp("wheel")
    checkout = base / "checkout"
    for name in _tracked_files():
        source = ROOT / name
        if source.is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, checkout / name)
    assert not (checkout / "src/borderpost/web/static/vendor").exists(), "a clean checkout"
    (checkout / "node_modules").symlink_to(modules)
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--skip-dependency-check",
         "--outdir", str(base / "dist"), str(checkout)],
        check=True, capture_output=True,
    )  # fmt: skip
    (built,) = (base / "dist").glob("borderpost-*.whl")
    return built


def test_the_wheel_carries_the_built_assets(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for asset in ASSETS:
        assert f"borderpost/web/static/vendor/{asset}" in names, asset
    assert "borderpost/web/static/app.css" in names
    assert "borderpost/web/templates/base.html" in names
    assert "borderpost/web/locale/ar/LC_MESSAGES/messages.po" in names
    assert any(n.startswith("borderpost/migrations/versions/") for n in names)


def test_the_installed_wheel_serves_styled_pages(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    probe = f"""
import json, borderpost
from pathlib import Path
from fastapi.testclient import TestClient
from borderpost.app import create_app
from borderpost.config import DEMO_SECRET, Settings
from borderpost.db import Database
from borderpost.migrations.run import upgrade
url = "sqlite:///{tmp_path / "probe.db"}"
upgrade(Database(url).engine)
client = TestClient(create_app(Settings(database_url=url, secret_key=DEMO_SECRET, demo=True)))
page = client.get("/", headers={{"Accept": "text/html"}})
css = client.get("/static/vendor/pico.min.css")
print(json.dumps({{"package": str(Path(borderpost.__file__).parent), "page": page.status_code,
    "links": "/static/vendor/pico.min.css" in page.text, "css": css.status_code,
    "type": css.headers.get("content-type", ""), "size": len(css.content)}}))
"""
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["package"].startswith(str(target)), "imported from the installed wheel"
    assert seen["page"] == 200 and seen["links"]
    assert seen["css"] == 200 and seen["type"].startswith("text/css") and seen["size"] > 10_000
