"""bench/cpu_per_request.py's machinery on SQLite with a tiny watchlist: a served subprocess,
every kind of request made and answered as expected, CPU read from /proc. No timing assertions
(the machine is shared)."""

from __future__ import annotations

from bench import cpu_per_request


def test_cpu_per_request_smoke() -> None:
    args = cpu_per_request.parser().parse_args(
        [
            "--engine", "sqlite",
            "--aliases", "300",
            "--requests", "6",
            "--rounds", "2",
            "--warmup", "1",
            "--items", "3",
            "--queue", "2",
        ]
    )  # fmt: skip
    lines: list[str] = []
    result = cpu_per_request.run(args, log=lambda *a, **_: lines.append(" ".join(map(str, a))))

    assert list(result.figures) == list(cpu_per_request.KINDS)
    for kind, figure in result.figures.items():
        assert figure.count == 6, kind
        assert figure.server_cpu >= 0 and figure.wall > 0, kind
        assert len(figure.loads) == 2, kind
    assert sum(result.figures["movement"].statuses.values()) == 6
    # Iraqi citizens and visa holders (bench/load.py MIX) admitted or referred; a few refused.
    assert set(result.figures["movement"].statuses) <= {"admitted", "referred", "refused"}
    assert sum(result.figures["truck"].statuses.values()) == 6
    assert sum(line.startswith("| ") for line in lines) == 1 + len(cpu_per_request.KINDS)
