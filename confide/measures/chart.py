"""Scores over time as an inline SVG, built on the server in plain Python.

No script and no third-party request: the chart is markup inside the page, with a ``<title>`` and
``<desc>`` that say what it shows (read by screen readers), severity bands that carry their
names as text (so they are told apart without colour), and a data table next to it in the page.
Colours are chosen for WCAG 2.2 contrast: text at least 4.5:1 on every band, the line and the
points at least 3:1 (checked by tests/measures/test_chart.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext, ngettext, pgettext

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 150, 12, 52
#: Space between the axis and the first and last points, so their date labels fit.
PAD = 36
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_TICKS = 4

TEXT = "#1b1b1b"
LINE = "#1a3d8f"
#: Light tints, one per band from the lowest up; text and line stay readable on each.
BAND_FILLS = ("#e6f2e8", "#f7f1d0", "#fbe6cf", "#f8dcd3", "#f3d3dc")
AXIS = "#4a4a4a"


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Point:
    at: datetime
    score: int
    band: str  # the band's label, in the viewer's language


@dataclass(frozen=True)
class Series:
    key: str  # used for element ids: unique per page
    title: str  # "PHQ-9"
    max_score: int
    bands: tuple[Band, ...]
    points: tuple[Point, ...]


def local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def tick_label(day: date) -> str:
    """The short date the time helper uses too (``times.when(..., "short")``)."""
    return date_format(day, pgettext("short date format", "D j M Y"))


class DayLabels:
    """``tick_label`` for many days at once: the translated format and the names of weekdays
    and months are read once per chart, not once per point (a year of weekly points would
    otherwise spend most of its time in ``date_format``). Formats with letters beyond the
    simple ones below fall back to ``date_format`` itself; a test checks both agree."""

    _SIMPLE = frozenset("DjMbYdmny")

    def __init__(self) -> None:
        self.fmt = pgettext("short date format", "D j M Y")
        self.fast = "\\" not in self.fmt and all(
            not c.isalpha() or c in self._SIMPLE for c in self.fmt
        )
        self.weekdays = [str(WEEKDAYS_ABBR[i]) for i in range(7)]
        self.months = [""] + [str(MONTHS_3[i]) for i in range(1, 13)]
        self.seen: dict[date, str] = {}

    def __call__(self, day: date) -> str:
        if day in self.seen:
            return self.seen[day]
        label = self._format(day) if self.fast else date_format(day, self.fmt)
        self.seen[day] = label
        return label

    def _format(self, day: date) -> str:
        parts = {
            "D": self.weekdays[day.weekday()],
            "j": str(day.day),
            "M": self.months[day.month].title(),
            "b": self.months[day.month],
            "Y": f"{day.year:04d}",
            "d": f"{day.day:02d}",
            "m": f"{day.month:02d}",
            "n": str(day.month),
            "y": f"{day.year % 100:02d}",
        }
        return "".join(parts.get(c, c) for c in self.fmt)


def _y(score: float, max_score: int) -> float:
    return TOP + PLOT_H - (score / max_score) * PLOT_H


def _xs(days: Sequence[date]) -> list[float]:
    if len(days) == 1:
        return [LEFT + PLOT_W / 2]
    first, span = days[0], max((days[-1] - days[0]).days, 1)
    inner = PLOT_W - 2 * PAD
    return [LEFT + PAD + inner * (d - first).days / span for d in days]


def change_since_baseline(points: Sequence[Point]) -> str:
    """One sentence: how the latest score compares with the first one."""
    if len(points) < 2:
        return gettext("There is one result so far; the change shows from the second one.")
    first, last = points[0].score, points[-1].score
    delta = last - first
    if delta == 0:
        return gettext("Since the first result the score is unchanged, at %(score)d.") % {
            "score": last
        }
    template = (
        ngettext(
            "Since the first result the score is %(n)d point lower: from %(first)d to %(last)d.",
            "Since the first result the score is %(n)d points lower: from %(first)d to %(last)d.",
            -delta,
        )
        if delta < 0
        else ngettext(
            "Since the first result the score is %(n)d point higher: from %(first)d to %(last)d.",
            "Since the first result the score is %(n)d points higher: from %(first)d to %(last)d.",
            delta,
        )
    )
    return template % {"n": abs(delta), "first": first, "last": last}


def description(series: Series, tz: tzinfo, labels: DayLabels | None = None) -> str:
    """What the chart shows, in words (the SVG's ``<desc>``)."""
    points, label = series.points, labels or DayLabels()
    if not points:
        return gettext("No results yet.")
    first, last = local_day(points[0].at, tz), local_day(points[-1].at, tz)
    counted = ngettext(
        "%(n)d result from %(first)s to %(last)s.",
        "%(n)d results from %(first)s to %(last)s.",
        len(points),
    ) % {"n": len(points), "first": label(first), "last": label(last)}
    latest = gettext("Latest score %(score)d of %(max)d (%(band)s).") % {
        "score": points[-1].score,
        "max": series.max_score,
        "band": points[-1].band,
    }
    return f"{counted} {latest} {change_since_baseline(points)}"


def _bands(series: Series) -> list[str]:
    parts = []
    for index, band in enumerate(series.bands):
        top = _y(min(band.high + 1, series.max_score), series.max_score)
        bottom = _y(band.low, series.max_score)
        fill = BAND_FILLS[min(index, len(BAND_FILLS) - 1)]
        parts.append(
            f'<rect x="{LEFT}" y="{top:.1f}" width="{PLOT_W}" height="{bottom - top:.1f}" '
            f'fill="{fill}"/>'
            f'<line x1="{LEFT}" y1="{top:.1f}" x2="{LEFT + PLOT_W}" y2="{top:.1f}" '
            f'stroke="{AXIS}" stroke-width="0.5" stroke-dasharray="4 3"/>'
            f'<text x="{LEFT + PLOT_W + 6}" y="{(top + bottom) / 2 - 2:.1f}" fill="{TEXT}" '
            f'font-size="12">{escape(band.label)}'
            f'<tspan x="{LEFT + PLOT_W + 6}" dy="14">({band.low}–{band.high})</tspan></text>'
        )
    return parts


def _axes(
    series: Series, tz: tzinfo, days: list[date], xs: list[float], label: DayLabels
) -> list[str]:
    base = TOP + PLOT_H
    parts = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{AXIS}"/>',
        f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + PLOT_W}" y2="{base}" stroke="{AXIS}"/>',
    ]
    for value in sorted({0, *(b.low for b in series.bands), series.max_score}):
        y = _y(value, series.max_score)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" fill="{TEXT}" font-size="12" '
            f'text-anchor="end">{value}</text>'
        )
    if days:
        count = min(MAX_TICKS, len(days))
        picks = sorted({round(i * (len(days) - 1) / max(count - 1, 1)) for i in range(count)})
        for i in picks:
            parts.append(
                f'<text x="{xs[i]:.1f}" y="{base + 16}" fill="{TEXT}" font-size="12" '
                f'text-anchor="middle">{escape(label(days[i]))}</text>'
            )
    zone = getattr(tz, "key", None) or str(tz)
    axis_title = gettext("Date (%(zone)s)") % {"zone": zone}
    parts.append(
        f'<text x="{LEFT + PLOT_W / 2}" y="{HEIGHT - 8}" fill="{TEXT}" font-size="12" '
        f'text-anchor="middle">{escape(axis_title)}</text>'
        f'<text x="12" y="{TOP + PLOT_H / 2}" fill="{TEXT}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 12 {TOP + PLOT_H / 2})">{escape(gettext("Score"))}</text>'
    )
    return parts


def _line(series: Series, days: list[date], xs: list[float], label: DayLabels) -> list[str]:
    if not days:
        return []
    coords = [(x, _y(p.score, series.max_score)) for x, p in zip(xs, series.points, strict=True)]
    parts = []
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for (x, y), point, day in zip(coords, series.points, days, strict=True):
        text = escape(f"{label(day)}: {point.score} ({point.band})")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{LINE}"><title>{text}</title></circle>'
        )
    return parts


def render(series: Series, tz: tzinfo) -> str:
    """The chart as SVG markup for inline use in a page (no namespace URL, no external link)."""
    days = [local_day(p.at, tz) for p in series.points]
    xs = _xs(days) if days else []
    label = DayLabels()
    title = gettext("%(measure)s scores over time") % {"measure": series.title}
    ids = f"chart-{escape(series.key)}"
    head = (
        f'<svg role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'aria-labelledby="{ids}-title {ids}-desc" focusable="false">'
        f'<title id="{ids}-title">{escape(title)}</title>'
        f'<desc id="{ids}-desc">{escape(description(series, tz, label))}</desc>'
    )
    body = _bands(series) + _axes(series, tz, days, xs, label) + _line(series, days, xs, label)
    return head + "".join(body) + "</svg>"
