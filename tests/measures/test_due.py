"""Due dates are calendar dates in the client's zone: across every DST change of 2026 in Madrid
and New York a schedule stays on its weekday, and its reminder on 09:00 local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from confide.measures import due

MADRID, NEW_YORK = ZoneInfo("Europe/Madrid"), ZoneInfo("America/New_York")


def _utc_hours(zone: ZoneInfo, days: list[date]) -> list[int]:
    return [due.reminder_at(d, zone).astimezone(UTC).hour for d in days]


@pytest.mark.parametrize(
    ("zone", "changes", "winter_utc", "summer_utc"),
    [
        # Madrid: CET (UTC+1) → CEST (UTC+2) on 29 March, back on 25 October.
        (MADRID, (date(2026, 3, 29), date(2026, 10, 25)), 8, 7),
        # New York: EST (UTC−5) → EDT (UTC−4) on 8 March, back on 1 November.
        (NEW_YORK, (date(2026, 3, 8), date(2026, 11, 1)), 14, 13),
    ],
)
@pytest.mark.parametrize("every_weeks", [1, 2, 4])
def test_a_schedule_keeps_its_weekday_and_local_hour_across_dst(
    zone: ZoneInfo, changes: tuple[date, date], winter_utc: int, summer_utc: int, every_weeks: int
) -> None:
    start = date(2026, 1, 5)  # a Monday
    days = due.occurrences(start, every_weeks, 52 // every_weeks)
    assert days[-1] > date(2026, 11, 15)  # the series runs past every change of the year
    assert {d.weekday() for d in days} == {0}
    assert {due.reminder_at(d, zone).hour for d in days} == {9}
    spring, autumn = changes
    for day, hour in zip(days, _utc_hours(zone, days), strict=True):
        expected = summer_utc if spring <= day < autumn else winter_utc
        assert hour == expected, (day, hour)


@pytest.mark.parametrize(
    ("zone", "due_on"),
    [
        (MADRID, date(2026, 3, 30)),  # the Monday after the spring change
        (MADRID, date(2026, 10, 26)),  # the Monday after the autumn change
        (NEW_YORK, date(2026, 3, 9)),
        (NEW_YORK, date(2026, 11, 2)),
    ],
)
def test_an_occurrence_falls_due_at_local_midnight_not_utc(zone: ZoneInfo, due_on: date) -> None:
    midnight = datetime.combine(due_on, datetime.min.time(), tzinfo=zone)
    before, after = midnight - timedelta(minutes=30), midnight + timedelta(minutes=30)
    start = due_on - timedelta(weeks=2)
    assert due.occurrence_on_or_before(
        start, 1, due.local_today(before, zone)
    ) == due_on - timedelta(weeks=1)
    assert due.occurrence_on_or_before(start, 1, due.local_today(after, zone)) == due_on


def test_nothing_is_due_before_the_first_date_and_next_follows_the_interval() -> None:
    start = date(2026, 3, 2)
    assert due.occurrence_on_or_before(start, 2, date(2026, 3, 1)) is None
    assert due.next_occurrence(start, 2, date(2026, 3, 1)) == start
    assert due.occurrence_on_or_before(start, 2, date(2026, 3, 15)) == date(2026, 3, 2)
    assert due.next_occurrence(start, 2, date(2026, 3, 15)) == date(2026, 3, 16)


@pytest.mark.django_db
def test_the_service_counts_days_in_the_clients_zone(counselor: Any, care: Any) -> None:
    """The same instant is Sunday evening in New York and Monday morning in Madrid."""
    from confide.measures import services
    from confide.measures.models import MeasureSchedule

    schedule = MeasureSchedule(measure="phq9", every_weeks=1, starts_on=date(2026, 10, 26))
    instant = datetime(2026, 11, 2, 4, 30, tzinfo=UTC)  # after New York's change, before midnight
    assert services.current_due(schedule, instant, NEW_YORK) == date(2026, 10, 26)
    assert services.current_due(schedule, instant, MADRID) == date(2026, 11, 2)
    later = instant + timedelta(hours=1)
    assert services.current_due(schedule, later, NEW_YORK) == date(2026, 11, 2)
