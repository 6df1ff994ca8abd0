"""Shared steps of the measures tests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from confide.core.times import user_zone
from confide.measures import due, services

PHQ = {f"phq9_{n}": "1" for n in range(1, 9)} | {"phq9_9": "0"}  # score 8, mild
GAD = {f"gad7_{n}": "2" for n in range(1, 8)}  # score 14, moderate


def today_of(client: Any) -> Any:
    return due.local_today(timezone.now(), user_zone(client))


def schedule(counselor: Any, client: Any, measure: str = "phq9", weeks: int = 2) -> Any:
    """A schedule whose first occurrence is today in the client's zone: due at once."""
    draft = services.ScheduleDraft(measure, weeks, today_of(client))
    return services.set_schedule(counselor, client.pk, draft)
