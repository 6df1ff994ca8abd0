"""Slot search: working hours, exceptions, bookings with buffers, notice and horizon, DST."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confide.scheduling.models import Booking, DateException
from confide.scheduling.slots import Rules, compute_slots, free_slots, group_by_day, to_instant
from tests.scheduling.conftest import bulk_users, open_hours, utc

ZONES = ["Europe/Madrid", "Europe/Stockholm", "Europe/Tirane", "America/New_York"]
# Spring-forward and fall-back dates of 2026/2027 (EU: last Sunday of March/October; US: second
# Sunday of March, first Sunday of November).
TRANSITIONS = {
    "Europe/Madrid": [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28)],
    "Europe/Stockholm": [date(2026, 3, 29), date(2026, 10, 25), date(2027, 10, 31)],
    "Europe/Tirane": [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28)],
    "America/New_York": [date(2026, 3, 8), date(2026, 11, 1), date(2027, 3, 14)],
}
LONG_AGO = utc(2020, 1, 1)


def rules_for(tz: str, start: time = time(9), end: time = time(17), **extra: Any) -> Rules:
    zone = ZoneInfo(tz)
    return Rules(
        1,
        timedelta(minutes=50),
        timedelta(minutes=10),
        timedelta(0),
        timedelta(days=5000),
        weekly={d: [(start, end, zone)] for d in range(7)},
        **extra,
    )


# --- Pure computation ---------------------------------------------------------------------------


def test_it_offers_hourly_slots_inside_working_hours() -> None:
    rules = rules_for("Europe/Madrid")
    day = utc(2026, 11, 23)  # a Monday, CET (UTC+1)
    slots = compute_slots(rules, day, day + timedelta(days=1), LONG_AGO)
    local = [s.astimezone(ZoneInfo("Europe/Madrid")).strftime("%H:%M") for s in slots]
    assert local == ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]


def test_it_excludes_bookings_and_their_buffers() -> None:
    # A 09:30–10:20 booking blocks 09:00 (ends 09:50, +10 min buffer > 09:30) and 10:00.
    rules = rules_for("UTC", busy=[(utc(2026, 11, 23, 9, 30), utc(2026, 11, 23, 10, 20))])
    slots = compute_slots(rules, utc(2026, 11, 23), utc(2026, 11, 24), LONG_AGO)
    assert utc(2026, 11, 23, 9) not in slots
    assert utc(2026, 11, 23, 10) not in slots
    assert utc(2026, 11, 23, 11) in slots


def test_a_booking_ending_exactly_a_buffer_before_leaves_the_slot_free() -> None:
    rules = rules_for("UTC", busy=[(utc(2026, 11, 23, 8), utc(2026, 11, 23, 8, 50))])
    slots = compute_slots(rules, utc(2026, 11, 23), utc(2026, 11, 24), LONG_AGO)
    assert utc(2026, 11, 23, 9) in slots


def test_it_respects_minimum_notice_and_horizon() -> None:
    rules = rules_for("UTC")
    rules.min_notice, rules.horizon = timedelta(hours=3), timedelta(days=2)
    now = utc(2026, 11, 23, 8, 30)
    slots = compute_slots(rules, now, now + timedelta(days=5), now)
    assert slots[0] == utc(2026, 11, 23, 12)  # 11:30 is the earliest; steps are on the hour
    assert max(slots) <= now + timedelta(days=2)


def test_days_off_and_extra_hours() -> None:
    zone = ZoneInfo("Europe/Madrid")
    rules = rules_for(
        "Europe/Madrid",
        off=[(date(2026, 11, 24), None, None, zone), (date(2026, 11, 25), time(9), time(12), zone)],
        extra=[(date(2026, 11, 24), time(18), time(20), zone)],
    )
    slots = compute_slots(rules, utc(2026, 11, 24), utc(2026, 11, 26), LONG_AGO)
    days = {d: [s.strftime("%H:%M") for s in v] for d, v in group_by_day(slots, zone)}
    assert days[date(2026, 11, 24)] == ["18:00", "19:00"]
    assert days[date(2026, 11, 25)] == ["12:00", "13:00", "14:00", "15:00", "16:00"]


# --- Daylight-saving transitions (property tests) ------------------------------------------------


@pytest.mark.promise("CARE-1")
@settings(max_examples=60, deadline=None)
@given(
    counselor_tz=st.sampled_from(ZONES),
    client_tz=st.sampled_from([*ZONES, "Asia/Tokyo", "America/Los_Angeles"]),
    which=st.integers(0, 2),
    offset=st.integers(-3, 3),
    hour=st.integers(0, 15),
)
def test_local_working_hours_survive_dst_in_both_zones(
    counselor_tz: str, client_tz: str, which: int, offset: int, hour: int
) -> None:
    """Around each transition the counselor's local hours stay put, every slot is a whole
    session of real time inside them, and the client's view is the same instants."""
    tz, client_zone = ZoneInfo(counselor_tz), ZoneInfo(client_tz)
    day = TRANSITIONS[counselor_tz][which] + timedelta(days=offset)
    rules = rules_for(counselor_tz, start=time(hour), end=time(hour + 8))
    start = to_instant(day, time(0), tz)
    end = to_instant(day + timedelta(days=1), time(0), tz)
    slots = compute_slots(rules, start, end, LONG_AGO)
    work_start, work_end = to_instant(day, time(hour), tz), to_instant(day, time(hour + 8), tz)
    assert slots, "a working day must offer slots"
    assert all(work_start <= s and s + timedelta(minutes=50) <= work_end for s in slots)
    assert all(b - a == timedelta(hours=1) for a, b in itertools.pairwise(slots))
    if hour >= 3:  # hours clear of the 01:00–03:00 switch keep their wall-clock starts
        assert [s.astimezone(tz).hour for s in slots] == list(range(hour, hour + 8))
    shown = [s for _, day_slots in group_by_day(slots, client_zone) for s in day_slots]
    assert [s.astimezone(UTC) for s in shown] == slots
    assert all(s.utcoffset() == client_zone.utcoffset(s.replace(tzinfo=None)) for s in shown)


@settings(max_examples=30, deadline=None)
@given(counselor_tz=st.sampled_from(ZONES), which=st.integers(0, 2))
def test_night_hours_across_the_switch_are_real_time(counselor_tz: str, which: int) -> None:
    """00:00–06:00 on the transition night is 5 or 7 real hours: slots follow real time."""
    tz = ZoneInfo(counselor_tz)
    day = TRANSITIONS[counselor_tz][which]
    rules = rules_for(counselor_tz, start=time(0), end=time(6))
    start, end = to_instant(day, time(0), tz), to_instant(day, time(6), tz)
    slots = compute_slots(rules, start, end, LONG_AGO)
    real_hours = int((end - start).total_seconds() // 3600)
    assert real_hours in (5, 7)
    assert len(slots) == real_hours
    assert len({s.astimezone(UTC) for s in slots}) == len(slots)


# --- Loading from the database --------------------------------------------------------------------


def test_free_slots_uses_a_constant_number_of_queries(
    db: Any, django_assert_num_queries: Any
) -> None:
    counselors = [
        open_hours(c, tz) for c, tz in zip(bulk_users("counselor", 12), ZONES * 3, strict=True)
    ]  # 12 counselors in mixed zones
    client = bulk_users("client", 1, "client")[0]
    for index, c in enumerate(counselors):
        Booking.objects.create(
            client=client,
            counselor=c,
            starts_at=utc(2030, 1, 7, 10 + index % 5),
            ends_at=utc(2030, 1, 7, 10 + index % 5, 50),
        )
    DateException.objects.create(
        counselor=counselors[0], date=date(2030, 1, 8), kind="off", timezone="Europe/Madrid"
    )
    start, end = utc(2030, 1, 7), utc(2030, 1, 21)
    with django_assert_num_queries(4):
        one = free_slots([counselors[0].pk], start, end, now=start)
    with django_assert_num_queries(4):
        many = free_slots([c.pk for c in counselors], start, end, now=start)
    assert many[counselors[0].pk] == one[counselors[0].pk]
    assert all(many[c.pk] for c in counselors)
    assert not any(s.date() == date(2030, 1, 8) for s in one[counselors[0].pk])


def test_cancelled_bookings_free_their_time(db: Any, counselor: Any, client_user: Any) -> None:
    open_hours(counselor, "UTC")
    taken = utc(2030, 1, 7, 10)
    booking = Booking.objects.create(
        client=client_user,
        counselor=counselor,
        starts_at=taken,
        ends_at=taken + timedelta(minutes=50),
    )
    day = (utc(2030, 1, 7), utc(2030, 1, 8))
    assert taken not in free_slots([counselor.pk], *day, now=day[0])[counselor.pk]
    booking.status = Booking.Status.CANCELLED
    booking.save()
    assert taken in free_slots([counselor.pk], *day, now=day[0])[counselor.pk]


def test_naive_times_are_refused(db: Any) -> None:
    with pytest.raises(ValueError):
        free_slots([1], datetime(2030, 1, 1), datetime(2030, 1, 2))


def test_unknown_counselors_have_no_slots(db: Any) -> None:
    assert free_slots([999999], utc(2030, 1, 1), utc(2030, 1, 2)) == {999999: []}


def test_now_default_is_real_time(db: Any, counselor: Any) -> None:
    open_hours(counselor, "UTC")
    now = datetime.now(UTC)
    slots = free_slots([counselor.pk], now - timedelta(days=2), now + timedelta(days=2))
    assert all(s > now for s in slots[counselor.pk])
