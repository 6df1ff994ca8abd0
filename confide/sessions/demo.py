"""A demo video session that is open now (embedded default only).

Bookings need hours of notice and a room opens only 10 minutes before its start, so without this
a newcomer could not try a call today. Each run makes sure the demo client and the demo
counselor (paired by ``confide.matching.demo``) have a confirmed session whose room is open;
``manage.py serve`` names its address in the banner."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from confide.core.demo_accounts import demo_user


def open_demo_session() -> Any | None:
    """The demo pair's confirmed session whose room is open now, if any."""
    from confide.sessions import services

    client, counselor = demo_user("client"), demo_user("counselor")
    if client is None or counselor is None:
        return None
    for booking in services.upcoming_for(client).filter(counselor=counselor):
        if services.is_open(booking):
            return booking
    return None


def seed(stdout: Any) -> None:
    from confide.audit import services as audit
    from confide.matching.services import current_counselor_id
    from confide.scheduling.models import Booking
    from confide.scheduling.services import availability_for

    client, counselor = demo_user("client"), demo_user("counselor")
    if client is None or counselor is None or current_counselor_id(client) != counselor.pk:
        return  # no demo care relationship: the room would refuse the counselor
    if open_demo_session() is not None:
        return
    now = timezone.now().replace(second=0, microsecond=0)
    minutes = availability_for(counselor).session_minutes
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                client=client,
                counselor=counselor,
                starts_at=now,
                ends_at=now + timedelta(minutes=minutes),
                booked_by=client,
                confirmed_at=now,
                scheduled_at=now,
            )
    except IntegrityError:  # the counselor has another session right now
        stdout.write("sessions: the demo counselor is busy now; no demo session")
        return
    audit.record("scheduling.booked", actor=client, subject_id=client.pk, target=booking)
    stdout.write(f"sessions: a demo video session is open until {booking.ends_at:%H:%M} UTC")


def banner(base_url: str) -> list[str]:
    """Lines for the ``serve`` banner: where the open demo session is, and how to try it."""
    booking = open_demo_session()
    if booking is None:
        return ["Video: no demo session is open now; run `make run` again to open one."]
    url = base_url.rstrip("/") + reverse("therapy_sessions:room", args=[booking.pk])
    return [
        f"Video: a demo session is open now, until {booking.ends_at:%H:%M} UTC:",
        f"  {url}",
        "  Sign in as the demo client in one browser and as the demo counselor in a private",
        "  window, open that address in both and press 'Join with camera and microphone'.",
    ]
