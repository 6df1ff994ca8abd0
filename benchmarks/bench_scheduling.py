"""Slot search for 50 counselors × 14 days in mixed zones with 40 bookings each.

Targets (issue 7): p95 ≤ 50 ms warm; a constant number of queries whatever the number of
counselors; ≤ 3× an in-memory slot loop over the same data, measured in the same run.
"""

from __future__ import annotations

import os
import random
import time as clock
from datetime import UTC, datetime, time, timedelta
from typing import Any

from benchmarks.harness import Result, percentile, setup_django, summary_ms, timed

COUNSELORS = 50
DAYS = 14
BOOKINGS_EACH = 40
ZONES = ["Europe/Madrid", "Europe/Stockholm", "Europe/Tirane", "America/New_York", "Asia/Tokyo"]
REPEAT = 60


def _seed() -> tuple[list[int], datetime]:
    from django.core.management import call_command

    from confide.accounts.models import User
    from confide.scheduling.models import Availability, Booking, DateException, WeeklyHours
    from confide.scheduling.slots import free_slots

    call_command("migrate", verbosity=0)
    User.objects.filter(email__endswith="@bench-scheduling.test").delete()
    base = 900_000_000
    counselors = User.objects.bulk_create(
        User(email=f"c{i}@bench-scheduling.test", role="counselor", client_number=base + i)
        for i in range(COUNSELORS)
    )
    client = User.objects.create(
        email="client@bench-scheduling.test", role="client", client_number=base + 999
    )
    for index, counselor in enumerate(counselors):
        tz = ZONES[index % len(ZONES)]
        Availability.objects.create(
            counselor=counselor, timezone=tz, min_notice_minutes=0, horizon_days=60
        )
        WeeklyHours.objects.bulk_create(
            [
                WeeklyHours(
                    counselor=counselor,
                    weekday=day,
                    start_time=time(8 + index % 3),
                    end_time=time(18 + index % 3),
                    timezone=tz,
                )
                for day in range(6)
            ]
        )
        DateException.objects.create(
            counselor=counselor,
            date=datetime.now(UTC).date() + timedelta(days=3),
            kind="off",
            timezone=tz,
        )
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    free = free_slots([c.pk for c in counselors], now, now + timedelta(days=DAYS), now=now)
    chooser = random.Random(7)
    bookings = []
    for counselor in counselors:
        for start in chooser.sample(free[counselor.pk], BOOKINGS_EACH):
            bookings.append(
                Booking(
                    client=client,
                    counselor=counselor,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=50),
                )
            )
    Booking.objects.bulk_create(bookings)
    return [c.pk for c in counselors], now


def _naive_loop(rules: dict[int, Any], start: datetime, end: datetime, now: datetime) -> int:
    """The floor: the obvious in-memory loop over the same loaded rules — every candidate start
    of every working interval, checked against every booking."""
    from confide.scheduling.slots import working_intervals

    found = 0
    for r in rules.values():
        step = r.session + r.buffer
        for a, b in working_intervals(r, start, end):
            s = a
            while s + r.session <= b:
                ok = s >= now + r.min_notice and s < min(end, now + r.horizon) and s >= start
                for bs, be in r.busy:
                    if s < be + r.buffer and s + r.session > bs - r.buffer:
                        ok = False
                        break
                found += ok
                s += step
    return found


def _cpu_times(fn: Any, repeat: int) -> list[float]:
    """CPU seconds per call: robust when other processes load the machine's cores."""
    samples = []
    for _ in range(repeat):
        before = clock.process_time()
        fn()
        samples.append(clock.process_time() - before)
    return samples


def run() -> list[Result]:
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from confide.scheduling.slots import compute_slots, free_slots, load_rules

    ids, now = _seed()
    end = now + timedelta(days=DAYS)

    def search() -> dict[int, list[datetime]]:
        return free_slots(ids, now, end, now=now)

    found = sum(len(v) for v in search().values())  # warm up
    rules = load_rules(ids, now, end)
    naive = _naive_loop(rules, now, end, now)
    assert naive == found, (naive, found)
    service = timed(search, REPEAT)
    service_cpu = _cpu_times(search, REPEAT)
    floor_cpu = _cpu_times(lambda: _naive_loop(rules, now, end, now), REPEAT)
    floor = timed(lambda: _naive_loop(rules, now, end, now), REPEAT)
    compute = timed(lambda: [compute_slots(r, now, end, now) for r in rules.values()], REPEAT)
    with CaptureQueriesContext(connection) as one:
        free_slots(ids[:1], now, end, now=now)
    with CaptureQueriesContext(connection) as fifty:
        search()
    p95 = percentile(service, 95) * 1000
    floor_p95 = percentile(floor, 95) * 1000
    notes = {
        **summary_ms(service),
        "slots": found,
        "bookings": len(ids) * BOOKINGS_EACH,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    cpu_p95 = percentile(service_cpu, 95) * 1000
    return [
        Result(
            "scheduling",
            "free_slots p95, 50 counselors × 14 days",
            p95,
            "ms",
            target="≤ 50 ms",
            notes=notes,
        ),
        Result(
            "scheduling",
            "free_slots p95 / in-memory naive loop p95",
            p95,
            "ms",
            floor=floor_p95,
            target="ratio ≤ 3",
        ),
        Result(
            "scheduling",
            "free_slots CPU p95 / naive loop CPU p95",
            cpu_p95,
            "ms CPU",
            floor=percentile(floor_cpu, 95) * 1000,
            target="≤ 50 ms, ratio ≤ 3",
        ),
        Result(
            "scheduling",
            "free_slots p95 / compute only (queries' share)",
            p95,
            "ms",
            floor=percentile(compute, 95) * 1000,
            target="informative",
        ),
        Result(
            "scheduling",
            "queries for 1 counselor",
            len(one.captured_queries),
            "queries",
            target="= queries for 50",
        ),
        Result(
            "scheduling",
            "queries for 50 counselors",
            len(fifty.captured_queries),
            "queries",
            target="constant (4)",
        ),
    ]
