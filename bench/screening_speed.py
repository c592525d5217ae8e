"""Screening speed on large synthetic lists, beside brute-force rapidfuzz in the same run.

    PYTHONPATH=src:bench python bench/screening_speed.py                 # 100,000 and 1,000,000
    PYTHONPATH=src:bench python bench/screening_speed.py --quick         # 10,000 and 100,000

For each size: index build time, resident memory of the process after the build (psutil), p50
and p99 per query over --queries searches (half of them listed people in another spelling,
half unlisted people), and rapidfuzz process.extract (fuzz.token_set_ratio, limit 10, strings
pre-processed once) on the same list over --brute-queries of the same queries.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time

import psutil
from rapidfuzz import fuzz, process, utils

from borderpost.screening.matcher import NameIndex, WatchEntry
from make_screening_set import FAMILY_POOL, GIVEN_POOL, Name, Style, arabic_name, pick

VARIANTS = 8  # renderings per name in the pools; a list name is a random mix of them


def _renderings(rng: random.Random) -> dict[tuple[str, bool], list[str]]:
    out = {}
    for n in GIVEN_POOL:
        out[(n.prefix + n.rom, False)] = [Style(rng).part(n) for _ in range(VARIANTS)]
    for n in FAMILY_POOL:
        out[(n.rom, True)] = [Style(rng).part(n, family=True) for _ in range(VARIANTS)]
    return out


def _render(parts: list[Name], has_family: bool, table: dict, rng: random.Random) -> str:
    words = []
    for i, n in enumerate(parts):
        fam = has_family and i == len(parts) - 1
        words.append(rng.choice(table[(n.prefix + n.rom if not fam else n.rom, fam)]))
    return " ".join(words)


def make_list(
    n_aliases: int, seed: int
) -> tuple[list[WatchEntry], list[tuple[str, list[Name], bool]]]:
    """Entries with about n_aliases aliases in all (Latin spellings and Arabic script)."""
    rng = random.Random(seed)
    table = _renderings(rng)
    entries: list[WatchEntry] = []
    people: list[tuple[str, list[Name], bool]] = []
    total = 0
    while total < n_aliases:
        has_family = rng.random() < 0.85
        parts = [pick(GIVEN_POOL, rng) for _ in range(3)]
        if has_family:
            parts.append(pick(FAMILY_POOL, rng))
        names = [_render(parts, has_family, table, rng)]
        if rng.random() < 0.7:
            names.append(arabic_name(parts, has_family, rng))
        if rng.random() < 0.6:
            names.append(_render(parts, has_family, table, rng))
        names = list(dict.fromkeys(names))[: n_aliases - total]
        eid = f"S{len(entries)}"
        entries.append(WatchEntry(eid, "speed", names[0], tuple(names[1:]), None, "IRQ"))
        people.append((eid, parts, has_family))
        total += len(names)
    return entries, people


def make_queries(people: list, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if i % 2 == 0:
            _, parts, fam = rng.choice(people)
            style = Style(rng)
            words = [style.part(n) for n in (parts[:-1] if fam else parts)]
            if fam:
                words.append(style.part(parts[-1], family=True))
            out.append(" ".join(words))
        else:
            fam = rng.random() < 0.85
            parts = [pick(GIVEN_POOL, rng) for _ in range(3)] + (
                [pick(FAMILY_POOL, rng)] if fam else []
            )
            style = Style(rng)
            out.append(
                " ".join(
                    style.part(n, family=fam and j == len(parts) - 1) for j, n in enumerate(parts)
                )
            )
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def run(size: int, n_queries: int, n_brute: int, seed: int) -> None:
    proc = psutil.Process()
    entries, people = make_list(size, seed)
    queries = make_queries(people, n_queries, seed + 1)
    gc.collect()
    rss_list = proc.memory_info().rss
    t0, c0 = time.perf_counter(), time.process_time()
    index = NameIndex.build(entries)
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    gc.collect()
    rss = proc.memory_info().rss
    times, cpu, hits = [], [], 0
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        hits += bool(index.search(q))
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"\n{len(index):,} aliases ({len(entries):,} people)")
    print(
        f"  build {build:.1f} s (CPU {build_cpu:.1f} s); resident {rss / 2**20:,.0f} MiB "
        f"(list itself {rss_list / 2**20:,.0f} MiB, index {(rss - rss_list) / 2**20:,.0f} MiB)"
    )
    p50, p99 = pct(times, 50) * 1000, pct(times, 99) * 1000
    print(
        f"  engine: {len(queries)} queries, p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
        f"mean {statistics.mean(times) * 1000:.2f} ms, {hits} with a match"
    )
    # CPU time of this process: what the query costs when other processes share the cores
    print(f"  engine CPU time: p50 {pct(cpu, 50) * 1000:.2f} ms, p99 {pct(cpu, 99) * 1000:.2f} ms")
    print(
        f"  load average while running: {psutil.getloadavg()[0]:.1f} on {psutil.cpu_count()} cores"
    )

    choices = [utils.default_process(a) for e in entries for a in (e.name, *e.aliases)]
    brute = []
    for q in queries[:n_brute]:
        t = time.perf_counter()
        process.extract(
            utils.default_process(q), choices, scorer=fuzz.token_set_ratio, processor=None, limit=10
        )
        brute.append(time.perf_counter() - t)
    b50 = pct(brute, 50) * 1000
    print(
        f"  rapidfuzz brute force: {len(brute)} queries, p50 {b50:.1f} ms, "
        f"p99 {pct(brute, 99) * 1000:.1f} ms -> engine p50 is {b50 / p50:,.0f}x faster, "
        f"engine p99 is {pct(brute, 50) * 1000 / p99:,.0f}x faster than brute-force p50"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10,000 and 100,000 aliases")
    ap.add_argument("--sizes", type=int, nargs="*", default=None)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--brute-queries", type=int, default=30)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    sizes = args.sizes or ([10_000, 100_000] if args.quick else [100_000, 1_000_000])
    for size in sizes:
        run(size, args.queries, args.brute_queries, args.seed)
        gc.collect()


if __name__ == "__main__":
    main()
