"""Free start times: pure computation over loaded rules, plus one loader with a fixed query count.

Wall-clock rules (weekly hours, exceptions) are turned into UTC instants per local date with
zoneinfo, then all arithmetic happens on instants. That is what keeps a 09:00 working hour at
09:00 local on both sides of a daylight-saving change, and a 50-minute session 50 real minutes
long even across the change. Times in a spring-forward gap resolve forward (02:30 → 03:30).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.utils import timezone as dj_timezone

from confide.core.times import zone
from confide.presets import current_preset

Interval = tuple[datetime, datetime]


@cache
def zone_names() -> list[str]:
    return sorted(n for n in available_timezones() if "/" in n and not n.startswith("Etc/"))


def is_valid_zone(name: str) -> bool:
    return name in set(zone_names()) or name == "UTC"


def to_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Local wall-clock time on ``day`` in ``tz`` as a UTC instant."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


@dataclass
class Rules:
    """Everything slot search needs about one counselor, already loaded."""

    counselor_id: int
    session: timedelta
    buffer: timedelta
    min_notice: timedelta
    horizon: timedelta
    #: weekday -> [(start, end, zone)]
    weekly: dict[int, list[tuple[time, time, ZoneInfo]]] = field(default_factory=dict)
    #: [(date, start, end, zone)]
    extra: list[tuple[date, time, time, ZoneInfo]] = field(default_factory=list)
    #: [(date, start or None, end or None, zone)]
    off: list[tuple[date, time | None, time | None, ZoneInfo]] = field(default_factory=list)
    #: Active bookings as (start, end) instants, sorted by start.
    busy: list[Interval] = field(default_factory=list)


def _local_days(start: datetime, end: datetime, tz: ZoneInfo) -> Iterable[date]:
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        yield day
        day += timedelta(days=1)


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    result = intervals
    for ha, hb in holes:
        cut: list[Interval] = []
        for a, b in result:
            if hb <= a or ha >= b:
                cut.append((a, b))
                continue
            if a < ha:
                cut.append((a, ha))
            if hb < b:
                cut.append((hb, b))
        result = cut
    return result


def working_intervals(rules: Rules, start: datetime, end: datetime) -> list[Interval]:
    """Working time overlapping [start, end) as merged UTC intervals."""
    days_off: set[date] = set()
    holes: list[Interval] = []
    for day, a, b, tz in rules.off:
        if a is None or b is None:
            days_off.add(day)
        else:
            holes.append((to_instant(day, a, tz), to_instant(day, b, tz)))
    found: list[Interval] = []
    zones = {tz for hours in rules.weekly.values() for _, _, tz in hours}
    for tz in zones:
        for day in _local_days(start, end, tz):
            if day in days_off:
                continue
            for a, b, row_tz in rules.weekly.get(day.weekday(), ()):
                if row_tz is tz:
                    found.append((to_instant(day, a, tz), to_instant(day, b, tz)))
    for day, a, b, tz in rules.extra:
        found.append((to_instant(day, a, tz), to_instant(day, b, tz)))
    clipped = [(a, b) for a, b in _merge(found) if b > start and a < end + rules.session]
    return _subtract(clipped, holes)


def compute_slots(rules: Rules, start: datetime, end: datetime, now: datetime) -> list[datetime]:
    """Free start times in [start, end): inside working time, a whole session long, at least the
    minimum notice ahead, within the horizon, and clear of every booking plus the buffer."""
    earliest = max(start, now + rules.min_notice)
    latest = min(end, now + rules.horizon)
    if earliest >= latest:
        return []
    session, step = rules.session, rules.session + rules.buffer
    # Bookings widened by the buffer on both sides, merged: one sorted sweep then suffices,
    # because candidates come out in ascending order too.
    blocked = _merge([(a - rules.buffer, b + rules.buffer) for a, b in rules.busy])
    count, index = len(blocked), 0
    slots: list[datetime] = []
    for a, b in working_intervals(rules, start, end):
        s = a
        if s < earliest:  # jump straight to the first step at or after ``earliest``
            s = a + step * -((a - earliest) // step)
        while s + session <= b and s < latest:
            while index < count and blocked[index][1] <= s:
                index += 1
            if index == count or blocked[index][0] >= s + session:
                slots.append(s)
            s += step
    return slots


# --- Loading ----------------------------------------------------------------------------------


def load_rules(
    counselor_ids: list[int],
    start: datetime,
    end: datetime,
    *,
    exclude_booking: Any = None,
) -> dict[int, Rules]:
    """Rules for these counselors in exactly four queries, whatever their number."""
    from confide.scheduling.models import (
        ACTIVE_STATUSES,
        Availability,
        Booking,
        DateException,
        WeeklyHours,
    )

    preset = current_preset()
    rules = {
        cid: Rules(
            cid,
            timedelta(minutes=preset.default_session_minutes),
            timedelta(minutes=preset.default_buffer_minutes),
            preset.default_min_notice,
            preset.default_booking_horizon,
        )
        for cid in counselor_ids
    }
    for cid, minutes, buffer, notice, horizon in Availability.objects.filter(
        counselor_id__in=counselor_ids
    ).values_list(
        "counselor_id", "session_minutes", "buffer_minutes", "min_notice_minutes", "horizon_days"
    ):
        r = rules[cid]
        r.session, r.buffer = timedelta(minutes=minutes), timedelta(minutes=buffer)
        r.min_notice, r.horizon = timedelta(minutes=notice), timedelta(days=horizon)
    for cid, weekday, t0, t1, tz in WeeklyHours.objects.filter(
        counselor_id__in=counselor_ids
    ).values_list("counselor_id", "weekday", "start_time", "end_time", "timezone"):
        rules[cid].weekly.setdefault(weekday, []).append((t0, t1, zone(tz)))
    for cid, day, kind, e0, e1, tz in DateException.objects.filter(
        counselor_id__in=counselor_ids,
        date__gte=start.date() - timedelta(days=2),
        date__lte=end.date() + timedelta(days=2),
    ).values_list("counselor_id", "date", "kind", "start_time", "end_time", "timezone"):
        if kind == DateException.Kind.EXTRA and e0 is not None and e1 is not None:
            rules[cid].extra.append((day, e0, e1, zone(tz)))
        elif kind == DateException.Kind.OFF:
            rules[cid].off.append((day, e0, e1, zone(tz)))
    # A day's margin covers any buffer; bookings arrive sorted by start per counselor.
    bookings = Booking.objects.filter(
        counselor_id__in=counselor_ids,
        status__in=ACTIVE_STATUSES,
        starts_at__lt=end + timedelta(days=1),
        ends_at__gt=start - timedelta(days=1),
    )
    if exclude_booking is not None:
        bookings = bookings.exclude(pk=exclude_booking)
    busy: dict[int, list[Interval]] = defaultdict(list)
    for cid, a, b in _raw_rows(
        bookings.order_by("starts_at").values_list("counselor_id", "starts_at", "ends_at")
    ):
        busy[cid].append((_instant(a), _instant(b)))
    for cid, intervals in busy.items():
        rules[cid].busy = intervals
    return rules


def _raw_rows(queryset: Any) -> list[tuple[Any, ...]]:
    """Rows without Django's per-value converters: a few thousand bookings are read on every
    search, and converting each datetime through the ORM costs more than the search itself."""
    from django.db import connections

    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _instant(value: datetime | str) -> datetime:
    """A stored timestamp as an aware UTC datetime (SQLite returns ISO text, PostgreSQL
    returns aware datetimes)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def free_slots(
    counselor_ids: list[int],
    start: datetime,
    end: datetime,
    *,
    now: datetime | None = None,
    exclude_booking: Any = None,
) -> dict[int, list[datetime]]:
    """Free session start times (aware UTC datetimes, ascending) in [start, end) for each
    counselor. Four queries regardless of how many counselors are asked about; counselors with
    no working hours map to an empty list."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("free_slots needs aware datetimes (a naive time has no instant)")
    now = now or dj_timezone.now()
    ids = list(dict.fromkeys(counselor_ids))
    rules = load_rules(ids, start, end, exclude_booking=exclude_booking)
    return {cid: compute_slots(rules[cid], start, end, now) for cid in ids}


def group_by_day(slots: list[datetime], tz: ZoneInfo) -> list[tuple[date, list[datetime]]]:
    """Slots as local datetimes in ``tz``, grouped by local date, in order."""
    days: dict[date, list[datetime]] = {}
    for slot in slots:
        local = slot.astimezone(tz)
        days.setdefault(local.date(), []).append(local)
    return list(days.items())
