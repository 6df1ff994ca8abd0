"""The reminder sweep. It takes no content and is idempotent (see reminders.send_due); with no
broker (the embedded default) ``manage.py run_scheduler`` runs it inline on its interval."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from confide.core.tasks import periodic


@periodic("measures.send_due_reminders", timedelta(minutes=15))
@shared_task(name="measures.send_due_reminders")
def send_due_reminders() -> int:
    """Remind clients whose measure fell due; returns how many e-mails were sent."""
    from confide.measures import reminders

    return reminders.send_due()
