"""Session tasks (ids only, never content)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from confide.core.tasks import periodic


@periodic("sessions.close_finished_rooms", timedelta(minutes=5))
@shared_task
def close_finished_rooms() -> int:
    """Record the end (CARE-2) of sessions whose slot is over with someone still connected."""
    from confide.sessions.services import close_finished_rooms as close

    return close()
