"""When a measure is due: pure date arithmetic, no database.

A schedule's occurrences are calendar dates, ``starts_on + k × every_weeks × 7 days``, counted in
the client's zone. Adding days to a ``date`` never meets a DST change, so "every 2 weeks on
Monday" stays on Monday for ever; only the reminder's instant (09:00 on that local date) moves in
UTC when the clocks change, which is what a person expects.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

#: The local hour a reminder goes out on the due date: nobody is woken at midnight.
REMINDER_HOUR = time(9, 0)


def occurrence_on_or_before(starts_on: date, every_weeks: int, today: date) -> date | None:
    """The latest occurrence on or before ``today``; None before the first."""
    if today < starts_on:
        return None
    step = 7 * every_weeks
    return starts_on + timedelta(days=((today - starts_on).days // step) * step)


def next_occurrence(starts_on: date, every_weeks: int, today: date) -> date:
    """The first occurrence after ``today``."""
    current = occurrence_on_or_before(starts_on, every_weeks, today)
    if current is None:
        return starts_on
    return current + timedelta(weeks=every_weeks)


def occurrences(starts_on: date, every_weeks: int, count: int) -> list[date]:
    """The first ``count`` occurrences (for tests and the schedule's preview)."""
    return [starts_on + timedelta(weeks=every_weeks * k) for k in range(count)]


def local_today(now: datetime, zone: tzinfo) -> date:
    """The calendar date it is in ``zone`` at the instant ``now``."""
    return now.astimezone(zone).date()


def reminder_at(due_on: date, zone: tzinfo) -> datetime:
    """The instant the reminder for ``due_on`` is due: 09:00 that day in the client's zone."""
    return datetime.combine(due_on, REMINDER_HOUR, tzinfo=zone)
