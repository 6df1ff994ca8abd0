"""Scheduling fixtures: a counselor with open hours, and a way to book without the clock."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest


def open_hours(
    counselor: Any,
    tz: str = "Europe/Madrid",
    *,
    days: range | list[int] = range(7),
    start: time = time(9),
    end: time = time(17),
    session: int = 50,
    buffer: int = 10,
    notice_minutes: int = 0,
    horizon_days: int = 365,
    approval: bool = False,
) -> Any:
    """Give the counselor weekly hours in ``tz`` (every day 09:00–17:00 by default)."""
    from confide.scheduling.models import Availability, WeeklyHours

    Availability.objects.update_or_create(
        counselor=counselor,
        defaults={
            "timezone": tz,
            "session_minutes": session,
            "buffer_minutes": buffer,
            "min_notice_minutes": notice_minutes,
            "horizon_days": horizon_days,
            "requires_approval": approval,
        },
    )
    WeeklyHours.objects.filter(counselor=counselor).delete()
    for day in days:
        WeeklyHours.objects.create(
            counselor=counselor, weekday=day, start_time=start, end_time=end, timezone=tz
        )
    counselor.timezone = tz
    counselor.save(update_fields=["timezone"])
    return counselor


def bulk_users(role: str, count: int, prefix: str = "bulk") -> list[Any]:
    """Many plain users at once (make_user's full sign-up path is too slow for dozens)."""
    from confide.accounts.models import User

    base = 10_000_000 + User.objects.count() * 1000
    return User.objects.bulk_create(
        User(email=f"{prefix}{i}@example.test", role=role, client_number=base + i)
        for i in range(count)
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def open_counselor(care: Any, counselor: Any) -> Any:
    """The care persona's counselor, open every day 09:00–17:00 Madrid time."""
    return open_hours(counselor)
