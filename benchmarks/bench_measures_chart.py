"""The scores-over-time chart (issue 15): p95 time to render the server-side SVG for a year of
weekly PHQ-9 results (52 points), in Spanish with Madrid dates, against a floor measured in the
same run: the bare polyline and circles of the same 52 points, with no bands, labels, dates or
escaping. Target: p95 at most 5 ms. No database: the chart is pure Python."""

from __future__ import annotations

import gc
import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks.harness import Result, percentile, setup_django, timed

POINTS = 52
REPEAT = int(os.environ.get("BENCH_MEASURES_REPEAT", "400"))
TARGET_MS = 5.0


def _series() -> object:
    from confide.measures import chart

    bands = (
        chart.Band(0, 4, "Mínima"),
        chart.Band(5, 9, "Leve"),
        chart.Band(10, 14, "Moderada"),
        chart.Band(15, 19, "Moderadamente grave"),
        chart.Band(20, 27, "Grave"),
    )
    start = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
    points = tuple(
        chart.Point(start + timedelta(weeks=i), (i * 7) % 28, "Leve") for i in range(POINTS)
    )
    return chart.Series("phq9", "PHQ-9", 27, bands, points)


def _floor(scores: list[int]) -> str:
    """The least any SVG of these points costs: coordinates and elements, nothing else."""
    coords = [(44 + i * 8.5, 236 - s * 8.7) for i, s in enumerate(scores)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"/>' for x, y in coords)
    return f'<svg><polyline points="{line}"/>{dots}</svg>'


def run() -> list[Result]:
    os.environ.setdefault("CONFIDE_BENCH", "1")
    setup_django()
    from django.utils import translation

    from confide.measures import chart

    series = _series()
    zone = ZoneInfo("Europe/Madrid")
    scores = [p.score for p in series.points]  # type: ignore[attr-defined]
    with translation.override("es"):
        for _ in range(20):  # warm the catalogs and format caches
            chart.render(series, zone)  # type: ignore[arg-type]
            _floor(scores)
        gc.collect()
        gc.disable()
        try:
            ours = timed(lambda: chart.render(series, zone), REPEAT)  # type: ignore[arg-type]
            floor = timed(lambda: _floor(scores), REPEAT)
        finally:
            gc.enable()
    size = len(chart.render(series, zone))  # type: ignore[arg-type]
    return [
        Result(
            "measures",
            f"chart render p95, {POINTS} points (ms)",
            percentile(ours, 95) * 1000,
            "ms",
            floor=percentile(floor, 95) * 1000,
            target=f"p95 <= {TARGET_MS:g} ms",
            notes={"svg_bytes": size, "load_average_1m": round(os.getloadavg()[0], 2)},
        )
    ]
