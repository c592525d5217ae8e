#!/usr/bin/env python3
"""Copy the browser assets installed by `npm ci` into src/borderpost/web/static/vendor/.

The pages load only what this copies (htmx, Chart.js, Pico CSS), from the application itself:
nothing is fetched from another host at run time. Run by `make setup` after `npm ci`.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "borderpost" / "web" / "static" / "vendor"

# (npm package, file inside it, name in vendor/)
ASSETS = [
    ("htmx.org", "dist/htmx.min.js", "htmx.min.js"),
    ("chart.js", "dist/chart.umd.min.js", "chart.umd.min.js"),
    ("@picocss/pico", "css/pico.min.css", "pico.min.css"),
    # The interactive API documentation at /docs.
    ("swagger-ui-dist", "swagger-ui-bundle.js", "swagger-ui-bundle.js"),
    ("swagger-ui-dist", "swagger-ui.css", "swagger-ui.css"),
    # The accessibility checks of the browser tests (tests/web/axe.py, run on every screen by
    # tests/web/test_layouts.py); no page loads it.
    ("axe-core", "axe.min.js", "axe.min.js"),
]


def main() -> int:
    missing = [pkg for pkg, _, _ in ASSETS if not (MODULES / pkg / "package.json").exists()]
    if missing:
        print(f"missing npm packages {missing}: run `npm ci` first", file=sys.stderr)
        return 1
    VENDOR.mkdir(parents=True, exist_ok=True)
    versions = {}
    for package, source, target in ASSETS:
        meta = json.loads((MODULES / package / "package.json").read_text(encoding="utf-8"))
        text = (MODULES / package / source).read_text(encoding="utf-8")
        # A source-map comment would make developer tools ask for a file we do not ship.
        # split("\n"), not splitlines(): bundles hold U+2028 and form feeds inside strings.
        lines = [ln for ln in text.split("\n") if not ln.startswith("//# sourceMappingURL=")]
        text = "\n".join(lines).replace("/*# sourceMappingURL=pico.min.css.map */", "")
        text = text.replace("/*# sourceMappingURL=swagger-ui.css.map*/", "")
        (VENDOR / target).write_text(text + "\n", encoding="utf-8")
        license_file = next(
            (p for p in (MODULES / package).iterdir() if p.name.upper().startswith("LICENSE")),
            None,
        )
        if license_file:
            shutil.copy(license_file, VENDOR / f"{target}.LICENSE.txt")
        versions[target] = {
            "package": package,
            "version": meta["version"],
            "license": meta.get("license"),
            "file": target,
        }
        print(f"  {package} {meta['version']} -> static/vendor/{target}")
    (VENDOR / "versions.json").write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
