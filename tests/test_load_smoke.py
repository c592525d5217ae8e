"""bench/load.py's machinery for a couple of seconds at a low rate on SQLite: a served subprocess,
every request type made, no errors. No timing assertions (the machine is shared)."""

from __future__ import annotations

from bench import load


def test_load_smoke() -> None:
    args = load.parser().parse_args(
        [
            "--engine", "sqlite",
            "--steps", "15",
            "--seconds-per-step", "2",
            "--aliases", "300",
            "--items", "3",
            "--warmup-rounds", "1",
            "--p99-limit", "1000000",
            "--timeout", "60",
            "--closed", "public",
            "--closed-seconds", "1",
            "--concurrency", "4",
        ]
    )  # fmt: skip
    lines: list[str] = []
    result = load.run(args, log=lambda *a, **_: lines.append(" ".join(map(str, a))))

    assert result.workers == 1
    [step] = result.steps
    assert step.errors == {}, step.errors
    for kind in load.KINDS:
        assert step.sent[kind] > 0, (kind, step.sent)
        assert len(step.latencies[kind]) == step.sent[kind], kind
    # Iraqi citizens and visa holders (bench/load.py MIX) admitted or referred; a few refused.
    assert set(step.decisions) <= {"admitted", "referred", "refused"}, step.decisions
    [floor] = result.closed
    assert floor.kind == "public" and floor.count > 0 and floor.errors == 0
    assert any(line.startswith("| 15 |") for line in lines), lines
