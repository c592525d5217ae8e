"""The wheel carries the pages' built browser assets (static/vendor, git-ignored).

Building a wheel or an sdist from a checkout runs `scripts/build_assets.py` first when the assets
are not built yet (and `npm ci` when node_modules is missing), so `pip install .` and
`python -m build` give a package that serves styled pages. A wheel built from the sdist finds
the assets already in it. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
BUILT = ROOT / "src" / "borderpost" / "web" / "static" / "vendor" / "versions.json"


def ensure_assets() -> None:
    if BUILT.exists():
        return
    script = ROOT / "scripts" / "build_assets.py"
    if not script.exists():
        raise SystemExit("the browser assets are neither built nor buildable here")
    if not (ROOT / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    subprocess.run([sys.executable, str(script)], cwd=ROOT, check=True)


class BuildPyWithAssets(build_py):
    def run(self) -> None:
        ensure_assets()
        super().run()


class SdistWithAssets(sdist):
    def run(self) -> None:
        ensure_assets()
        super().run()


setup(cmdclass={"build_py": BuildPyWithAssets, "sdist": SdistWithAssets})
