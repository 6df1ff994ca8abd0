"""Confide benchmarks: ``make bench`` (all) or ``make bench BENCH=name`` (one module).

Each ``bench_<name>.py`` module defines ``run() -> list[Result]``. Every figure is reported next to
a floor measured in the same run on the same machine (bare Django, raw SQL insert, raw AES-GCM,
an in-memory loop), so results compare across machines as ratios. Benchmarks never pass or fail
tests; ``make bench`` prints a table and writes ``reports/bench.json``.
"""
