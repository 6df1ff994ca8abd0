"""Object routes of the scheduling app for the role × route matrix (tests/test_route_matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from confide.scheduling.models import Booking
    from tests.test_route_matrix import ObjectRoute

    start = timezone.now() + timedelta(days=3)
    booking = Booking.objects.create(
        client=p["client"],
        counselor=p["counselor"],
        starts_at=start,
        ends_at=start + timedelta(minutes=50),
    )
    # Only the two people of the booking may open it; everyone else is refused.
    outsiders = {"other_counselor", "stranger", "team_leader", "staff", "admin", "anonymous"}
    ids = {"booking_id": booking.pk}
    return {
        "scheduling:booking": ObjectRoute(ids, outsiders),
        "scheduling:invite": ObjectRoute(ids, outsiders),
        "scheduling:feed": ObjectRoute({"token": "not-a-real-token"}, set(p)),
    }
