"""`borderpost demo --no-serve` into a folder, for the suite's demo fixture (tests/conftest.py).

Run as a process of its own: `python tests/demo_build.py FOLDER`. The command's output and its
exit status land in FOLDER only once it has finished (renamed into place), so a waiting test
never reads half of either.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from typer.testing import CliRunner

from borderpost.cli.main import app


def build(folder: Path) -> int:
    built = folder / "demo-built.db"
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--database", str(built)])
    if result.exit_code == 0:
        with sqlite3.connect(built) as con:  # everything in the main file before it is copied
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    failure = "" if result.exit_code == 0 else f"\n{result.exception!r}"
    (folder / "demo-output.tmp").write_text(result.output + failure)
    os.replace(folder / "demo-output.tmp", folder / "demo-output.txt")
    (folder / "demo-status.tmp").write_text(str(result.exit_code))
    os.replace(folder / "demo-status.tmp", folder / "demo-status")
    return result.exit_code


if __name__ == "__main__":
    sys.exit(build(Path(sys.argv[1])))
