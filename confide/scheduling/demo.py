"""Demo availability (embedded default only): every demo counselor works Monday to Friday,
09:00–17:00 in a zone of their own, so the booking pages have free times. Safe to run again."""

from __future__ import annotations

from datetime import time
from typing import Any

ZONES = ["Europe/Madrid", "Europe/Stockholm", "Europe/Tirane", "America/New_York"]


def seed(stdout: Any) -> None:
    from confide.accounts.models import User
    from confide.scheduling import services
    from confide.scheduling.models import WeeklyHours

    counselors = User.objects.filter(role="counselor", email__endswith="@demo.confide.localhost")
    opened = 0
    for index, counselor in enumerate(counselors.order_by("pk")):
        if WeeklyHours.objects.filter(counselor=counselor).exists():
            continue
        zone = counselor.timezone or ZONES[index % len(ZONES)]
        services.save_availability(
            counselor,
            timezone=zone,
            weekly={day: [(time(9), time(17))] for day in range(5)},
            session_minutes=50,
            buffer_minutes=10,
            min_notice_hours=12,
            horizon_days=28,
            requires_approval=False,
        )
        opened += 1
    stdout.write(f"scheduling: opened working hours for {opened} demo counselors")
