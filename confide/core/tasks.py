"""Task helpers shared by every domain.

Tasks take ids, never objects or content, and are enqueued after the surrounding transaction
commits so a worker never sees a row that was rolled back. With no broker they run inline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction


def enqueue(task: Any, *args: Any, **kwargs: Any) -> None:
    """Run ``task`` with ids once the current transaction commits."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


def periodic(name: str, every: timedelta) -> Callable[[Any], Any]:
    """Register a Celery task in the beat schedule (used by the worker scheduler in production
    and by ``manage.py run_scheduler`` in the embedded default)."""

    def register(task: Any) -> Any:
        settings.CELERY_BEAT_SCHEDULE[name] = {"task": task.name, "schedule": every}
        return task

    return register


@periodic("sessions-clear-expired", timedelta(hours=1))
@shared_task(name="core.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Remove sessions past their expiry (Django never does on its own): an expired row still
    holds who was signed in and, before sign-up, a visitor's intake token."""
    from importlib import import_module

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
