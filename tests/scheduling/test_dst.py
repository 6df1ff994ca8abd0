"""Property tests over dates and zones: bookings and reminders across spring and autumn
transitions, for counselor/client pairs in the same and in different zones."""

from __future__ import annotations

from datetime import UTC, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.core import times
from confide.scheduling import notify, services
from confide.scheduling.models import Booking, Notice, WeeklyHours
from confide.scheduling.slots import to_instant
from tests.scheduling.conftest import open_hours
from tests.scheduling.test_slots import TRANSITIONS, ZONES

transition = st.sampled_from([(z, d) for z, days in TRANSITIONS.items() for d in days])


@pytest.mark.promise("CARE-1")
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    case=transition,
    client_tz=st.sampled_from(ZONES),
    days_after=st.integers(-2, 2),
    hour=st.integers(9, 16),
    booked_days_before=st.integers(1, 6),
)
def test_a_booking_keeps_its_local_hour_and_reminders_their_real_time(
    care: Any,
    counselor: Any,
    client_user: Any,
    case: tuple[str, Any],
    client_tz: str,
    days_after: int,
    hour: int,
    booked_days_before: int,
) -> None:
    counselor_tz, switch_day = case
    open_hours(counselor, counselor_tz)
    client_user.timezone = client_tz
    client_user.save(update_fields=["timezone"])
    local_day = switch_day + timedelta(days=days_after)
    start = to_instant(local_day, time(hour), ZoneInfo(counselor_tz))
    booked_at = start - timedelta(days=booked_days_before, hours=1)
    try:
        with time_machine.travel(booked_at, tick=False):
            booking = services.book(client_user, start)
        # The counselor's wall-clock hour survives the switch on either side of it.
        assert booking.starts_at.astimezone(ZoneInfo(counselor_tz)).hour == hour
        assert booking.ends_at - booking.starts_at == timedelta(minutes=50)
        # The client sees the same instant, in their zone, with their zone named.
        shown = times.when(booking.starts_at, tz=ZoneInfo(client_tz))
        local = booking.starts_at.astimezone(ZoneInfo(client_tz))
        assert f"{local:%H:%M} ({client_tz}" in shown
        # Reminders are due exactly 24 and 1 real hours before the instant.
        notify.materialize_reminders(start - timedelta(hours=24))
        notify.materialize_reminders(start - timedelta(hours=1))
        dues = sorted(
            Notice.objects.filter(key__startswith="before").values_list("due_at", flat=True)
        )
        assert set(dues) == {start - timedelta(hours=24), start - timedelta(hours=1)}
        assert len(dues) == 4  # client and counselor
    finally:
        Notice.objects.all().delete()
        Booking.objects.all().delete()
        WeeklyHours.objects.all().delete()


@settings(max_examples=200, deadline=None)
@given(
    case=transition,
    minute_of_day=st.integers(0, 24 * 60 - 1),
    offsets=st.lists(st.sampled_from([15, 60, 120, 1440, 2880]), min_size=1, max_size=4),
    now_before=st.integers(-30, 3000),
    set_before=st.integers(0, 4000),
)
def test_at_most_the_nearest_due_reminder_is_chosen(
    case: tuple[str, Any], minute_of_day: int, offsets: list[int], now_before: int, set_before: int
) -> None:
    tz, day = ZoneInfo(case[0]), case[1]
    starts_at = to_instant(day, time(0), tz) + timedelta(minutes=minute_of_day)
    now = starts_at - timedelta(minutes=now_before)
    scheduled_at = starts_at - timedelta(minutes=set_before)
    chosen = notify.due_reminder(starts_at, offsets, scheduled_at, now)
    if chosen is None:
        assert now >= starts_at or not any(
            scheduled_at <= starts_at - timedelta(minutes=m) <= now for m in offsets
        )
        return
    due_at = starts_at - timedelta(minutes=chosen)
    assert scheduled_at <= due_at <= now < starts_at
    assert (starts_at - due_at).total_seconds() == chosen * 60  # real time, DST or not
    assert all(
        m >= chosen for m in offsets if scheduled_at <= starts_at - timedelta(minutes=m) <= now
    )
    assert starts_at.tzinfo is not None and now.astimezone(UTC) < starts_at
