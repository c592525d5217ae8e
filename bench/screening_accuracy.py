"""Recall and false-positive rate of the screening engine on a labelled set, beside brute force.

    PYTHONPATH=src python bench/screening_accuracy.py [--data bench/data/screening] [--threshold T]

A positive query counts as found when its listed person is among the matches at or above the
threshold; a negative query is a false positive when anything at all is reported. The baseline is
brute-force rapidfuzz: process.extract over every alias with fuzz.token_set_ratio (lower-cased,
punctuation removed), shown at 85 and at its own best threshold on this set.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from borderpost.screening.formats import parse_csv
from borderpost.screening.matcher import DEFAULT_THRESHOLD, NameIndex


def load(data: Path) -> tuple[list, list[dict[str, str]]]:
    parsed = parse_csv((data / "watchlist.csv").read_bytes(), "bench")
    assert not parsed.rejected, parsed.rejected
    with open(data / "queries.csv", encoding="utf-8") as fh:
        return parsed.entries, list(csv.DictReader(fh))


def rates(found: list[tuple[float, float, bool]], t: float) -> tuple[float, float]:
    """(recall, fpr) from per-query (score of expected entry, best score, is_positive)."""
    pos = [e >= t for e, _, p in found if p]
    neg = [b >= t for _, b, p in found if not p]
    return sum(pos) / len(pos), sum(neg) / len(neg)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(Path(__file__).parent / "data" / "screening"))
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--show-errors", type=int, default=0, help="print this many misses per kind")
    args = ap.parse_args()
    entries, queries = load(Path(args.data))
    index = NameIndex.build(entries)
    print(
        f"{len(entries)} listed people, {len(index)} aliases, {len(queries)} queries "
        f"({sum(1 for q in queries if q['expected_id'])} positive)"
    )

    ours: list[tuple[float, float, bool]] = []
    by_kind: dict[str, list[bool]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    start = time.perf_counter()
    for q in queries:
        matches = index.search(
            q["name"],
            birth_date=q["birth_date"] or None,
            nationality=q["nationality"] or None,
            threshold=0.0,
            limit=50,
        )
        exp = next((m.score for m in matches if m.entry_id == q["expected_id"]), 0.0)
        best = matches[0].score if matches else 0.0
        positive = bool(q["expected_id"])
        ours.append((exp, best, positive))
        ok = exp >= args.threshold if positive else best < args.threshold
        by_kind[q["kind"]].append(ok)
        if not ok:
            top = matches[0] if matches else None
            errors[q["kind"]].append(
                f"{q['name']!r} -> {top.name if top else '-'} {best:.2f} (expected {exp:.2f})"
            )
    elapsed = time.perf_counter() - start
    recall, fpr = rates(ours, args.threshold)
    print(
        f"\nengine  threshold {args.threshold:.2f}: recall {recall:.3f}  false-positive rate "
        f"{fpr:.3f}  ({elapsed / len(queries) * 1000:.2f} ms/query)"
    )
    for kind in sorted(by_kind):
        oks = by_kind[kind]
        label = "found" if kind.startswith("pos") else "correctly clear"
        print(f"  {kind:22s} {sum(oks):4d}/{len(oks):4d} {label}")
        for line in errors[kind][: args.show_errors]:
            print(f"      miss: {line}")
    print(
        "  sweep:",
        "  ".join(
            f"{t:.2f}:{r:.3f}/{f:.3f}"
            for t in (0.6, 0.65, 0.7, 0.72, 0.75, 0.78, 0.8, 0.85)
            for r, f in [rates(ours, t)]
        ),
    )

    choices = [(a, e.entry_id) for e in entries for a in (e.name, *e.aliases)]
    strings = [utils.default_process(a) for a, _ in choices]
    brute: list[tuple[float, float, bool]] = []
    start = time.perf_counter()
    for q in queries:
        hits = process.extract(
            utils.default_process(q["name"]),
            strings,
            scorer=fuzz.token_set_ratio,
            processor=None,
            limit=None,
            score_cutoff=40,
        )
        exp = max((s for _, s, i in hits if choices[i][1] == q["expected_id"]), default=0.0)
        best = max((s for _, s, _ in hits), default=0.0)
        brute.append((exp, best, bool(q["expected_id"])))
    elapsed = time.perf_counter() - start
    r85, f85 = rates(brute, 85)
    print(
        f"\nrapidfuzz token_set_ratio, brute force ({elapsed / len(queries) * 1000:.2f} ms/query)"
    )
    print(f"  threshold 85: recall {r85:.3f}  false-positive rate {f85:.3f}")
    best_t = max(range(40, 101), key=lambda t: (lambda r, f: r - f)(*rates(brute, t)))
    rb, fb = rates(brute, best_t)
    print(
        f"  best threshold {best_t} (max recall - FPR): recall {rb:.3f}  "
        f"false-positive rate {fb:.3f}"
    )
    capped = [t for t in range(40, 101) if rates(brute, t)[1] <= 0.03]
    if capped:
        rc, fc = rates(brute, capped[0])
        print(f"  lowest threshold with FPR <= 0.03 ({capped[0]}): recall {rc:.3f}  FPR {fc:.3f}")


if __name__ == "__main__":
    main()
