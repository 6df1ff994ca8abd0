"""Scheduling tasks. They take no content; the periodic one is idempotent and safe to run on
several workers at once (rows are claimed atomically, see notify.send_due)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from confide.core.tasks import periodic


@periodic("scheduling.send_due_notices", timedelta(minutes=1))
@shared_task(name="confide.scheduling.send_due_notices")
def send_due_notices() -> int:
    """Send booking notices and session reminders that are due; returns how many were sent."""
    from confide.scheduling import notify

    return notify.send_due()
