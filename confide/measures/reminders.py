"""Reminders that a measure is waiting: one e-mail per occurrence, with no health data in it.

The e-mail says only that something is waiting in Confide, with a link to "My care": no measure
name, no score, no counselor, nothing a shared inbox or a mail provider could read a condition
from. The message context passed to the templates holds the link alone, so nothing else can slip
in. A schedule is claimed by a conditional UPDATE (``reminded_for`` not yet this date) before its
e-mail is sent, so however many workers sweep, each occurrence is reminded once.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from confide.core.mail import send_templated
from confide.core.times import user_language, user_zone
from confide.measures import due
from confide.measures.models import MeasureSchedule
from confide.measures.services import current_due, in_care
from confide.privacy.processing import may_process

TEMPLATE = "measures/email/waiting"


def send_due(now: datetime | None = None) -> int:
    """Send every reminder whose moment (09:00 local on the due date) has come; returns how many
    were sent. Safe to run often and on several workers at once."""
    now = now or timezone.now()
    sent = 0
    rows = MeasureSchedule.objects.filter(active=True, client__is_active=True).select_related(
        "client"
    )
    for schedule in rows:
        client = schedule.client
        zone = user_zone(client)
        today = due.local_today(now, zone)
        occurrence = due.occurrence_on_or_before(schedule.starts_on, schedule.every_weeks, today)
        # The cheap tests first: most schedules are between occurrences or already reminded.
        if occurrence is None or schedule.reminded_for == occurrence:
            continue
        if due.reminder_at(occurrence, zone) > now or current_due(schedule, now, zone) is None:
            continue
        if not may_process(client.pk, "care") or not in_care(schedule):
            continue
        claimed = (
            MeasureSchedule.objects.filter(pk=schedule.pk)
            .filter(Q(reminded_for__isnull=True) | Q(reminded_for__lt=occurrence))
            .update(reminded_for=occurrence)
        )
        if claimed and client.email:
            _send(client)
            sent += 1
    return sent


def _send(client: object) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("care:home")
    send_templated(
        TEMPLATE,
        str(getattr(client, "email", "")),
        {"link": link},
        language=user_language(client),
        zone=user_zone(client),
    )
