#!/usr/bin/env python3
"""Update the Arabic catalogue of the pages from their templates and code; list what is missing."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from borderpost.web.catalogue import update

if __name__ == "__main__":
    gaps = update("ar")
    for text in gaps:
        print(f"untranslated: {text}")
    print(f"{len(gaps)} untranslated")
    sys.exit(1 if gaps and "--check" in sys.argv else 0)
