"""The chart: inline SVG with a title and a description, bands named in text, colours with WCAG
contrast, dates in the viewer's zone, a data table beside it and nothing fetched from elsewhere."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from confide.measures import chart, series, services
from tests.measures.helpers import PHQ, schedule

PHQ_BANDS = (
    chart.Band(0, 4, "Minimal"),
    chart.Band(5, 9, "Mild"),
    chart.Band(10, 14, "Moderate"),
    chart.Band(15, 19, "Moderately severe"),
    chart.Band(20, 27, "Severe"),
)


def _series(scores: list[int], start: datetime | None = None) -> chart.Series:
    start = start or datetime(2026, 1, 5, 23, 30, tzinfo=UTC)
    points = tuple(
        chart.Point(start + timedelta(weeks=2 * i), s, "Mild") for i, s in enumerate(scores)
    )
    return chart.Series("phq9", "PHQ-9", 27, PHQ_BANDS, points)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_svg_has_title_desc_bands_points_and_no_external_reference() -> None:
    svg = chart.render(_series([14, 11, 9, 6]), ZoneInfo("Europe/Madrid"))
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own markup: is it well-formed?)
    assert root.get("role") == "img"
    title, desc = root.find("title"), root.find("desc")
    assert title is not None and title.text == "PHQ-9 scores over time"
    assert desc is not None and "4 results" in (desc.text or "")
    assert "8 points lower: from 14 to 6" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = ["".join(t.itertext()) for t in root.iter("text")]
    for label in ("Minimal(0–4)", "Mild(5–9)", "Moderate(10–14)", "Moderately severe(15–19)",
                  "Severe(20–27)"):  # fmt: skip
        assert label in texts  # bands named in text, not told apart by colour alone
    assert len(list(root.iter("circle"))) == 4 and root.find("polyline") is not None
    assert "Date (Europe/Madrid)" in texts and "Score" in texts
    assert not re.search(r"https?:|//|href|<script|<image|<use|url\(", svg)


def test_axis_dates_are_in_the_viewers_zone() -> None:
    """23:30 UTC on 5 January is the 5th in New York and already the 6th in Madrid."""
    one = _series([10])
    madrid = chart.render(one, ZoneInfo("Europe/Madrid"))
    new_york = chart.render(one, ZoneInfo("America/New_York"))
    assert "Tue 6 Jan 2026" in madrid and "Mon 5 Jan 2026" in new_york
    assert "Date (America/New_York)" in new_york


def test_colours_meet_wcag_contrast() -> None:
    for fill in chart.BAND_FILLS:
        assert contrast(chart.TEXT, fill) >= 4.5  # band names and axis text (1.4.3)
        assert contrast(chart.LINE, fill) >= 3.0  # the line and its points (1.4.11)
        assert contrast(chart.AXIS, fill) >= 3.0
    assert contrast(chart.TEXT, "#ffffff") >= 4.5


def test_change_since_baseline_is_said_in_words() -> None:
    assert "unchanged, at 9" in chart.change_since_baseline(_series([9, 9]).points)
    assert "1 point higher" in chart.change_since_baseline(_series([9, 10]).points)
    assert "one result" in chart.change_since_baseline(_series([9]).points)


@pytest.mark.django_db
def test_bands_and_top_score_come_from_intakes_scoring() -> None:
    phq, gad = services.definition_of("phq9"), services.definition_of("gad7")
    assert series.max_score(phq) == 27 and series.max_score(gad) == 21
    assert [(b.low, b.high) for b in series.bands(phq, "en")] == [
        (0, 4), (5, 9), (10, 14), (15, 19), (20, 27)
    ]  # fmt: skip
    assert [(b.low, b.high) for b in series.bands(gad, "en")] == [
        (0, 4), (5, 9), (10, 14), (15, 21)
    ]  # fmt: skip
    assert series.bands(phq, "es")[0].label == "Mínima"


@pytest.mark.django_db
@pytest.mark.promise("CARE-6")
def test_the_page_shows_chart_with_a_data_table_and_nothing_external(
    care: Any, client_user: Any, counselor: Any, client: Any
) -> None:
    sched = schedule(counselor, client_user)
    services.submit(client_user, sched.pk, PHQ)
    client.force_login(client_user)
    html = client.get(reverse("care:home")).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    assert "<title" in svg and "<desc" in svg and "http" not in svg
    table = html[html.index("<table>") : html.index("</table>")]
    assert "<caption>" in table and '<th scope="col">Score</th>' in table
    assert ">8<" in table and "Mild" in table
    assert "one result so far" in html


@pytest.mark.parametrize("language", ["en", "es", "sv", "sq"])
def test_the_fast_day_labels_match_djangos_date_format(language: str) -> None:
    from datetime import date

    from django.utils import translation

    with translation.override(language):
        labels = chart.DayLabels()
        days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 400, 3)]
        assert [labels(d) for d in days] == [chart.tick_label(d) for d in days]
        labels.fast = False
        labels.seen.clear()
        assert labels(days[0]) == chart.tick_label(days[0])
