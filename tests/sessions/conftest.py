from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def booking(care: Any, client_user: Any, counselor: Any) -> Any:
    """A confirmed session that started two minutes ago and lasts 50 minutes."""
    from confide.scheduling.models import Booking

    start = timezone.now() - timedelta(minutes=2)
    return Booking.objects.create(
        client=client_user,
        counselor=counselor,
        starts_at=start,
        ends_at=start + timedelta(minutes=50),
    )
