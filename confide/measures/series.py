"""From stored results to what the chart and the table show, in the viewer's language.

Bands, their names and the top score come from intake's definition of the measure, so the chart
can never disagree with the scoring that produced the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from confide.core import times
from confide.intake import engine
from confide.measures import chart
from confide.measures.models import MEASURES, MeasureResult, MeasureSchedule
from confide.measures.services import definition_of, result_score


def bands(defn: engine.Definition, language: str) -> tuple[chart.Band, ...]:
    return tuple(
        chart.Band(int(b["min"]), int(b["max"]), engine.text(b["label"], language))
        for b in defn.data["scoring"]["bands"]
    )


def max_score(defn: engine.Definition) -> int:
    """The highest score the definition allows: every scored item at its top option."""
    scored = set(defn.data["scoring"]["items"])
    return sum(
        max(int(o["value"]) for o in defn.options(item))
        for item in defn.items
        if item["id"] in scored
    )


def title(measure: str) -> str:
    return str(MeasureSchedule.Measure(measure).label)


@dataclass(frozen=True)
class Row:
    """One line of the data table next to the chart."""

    result: MeasureResult
    shown_at: str  # the time helper's text, in the viewer's zone with the zone named
    score: int
    band: str


@dataclass(frozen=True)
class Block:
    """One measure's chart, sentence and table."""

    key: str
    title: str
    svg: SafeString
    change: str
    rows: list[Row]
    max_score: int


def build(measure: str, results: Iterable[MeasureResult], language: str, tz: tzinfo) -> Block:
    defn = definition_of(measure)
    band_list = bands(defn, language)
    labels = {b["key"]: engine.text(b["label"], language) for b in defn.data["scoring"]["bands"]}
    points, rows = [], []
    for result in results:
        score, band = result_score(result)
        points.append(chart.Point(result.completed_at, score, labels.get(band, band)))
        shown = times.when(result.completed_at, "short", tz)
        rows.append(Row(result, shown, score, labels.get(band, band)))
    series = chart.Series(measure, title(measure), max_score(defn), band_list, tuple(points))
    svg = mark_safe(chart.render(series, tz))  # noqa: S308 (every text in it is escaped)
    return Block(
        measure, series.title, svg, chart.change_since_baseline(points), rows, series.max_score
    )


def blocks(results: list[MeasureResult], language: str, tz: tzinfo) -> list[Block]:
    """One block per measure the client has results for, in a fixed order."""
    by_measure: dict[str, list[Any]] = {}
    for result in results:
        by_measure.setdefault(result.measure, []).append(result)
    return [build(m, by_measure[m], language, tz) for m in MEASURES if m in by_measure]
