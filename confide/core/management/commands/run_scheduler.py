"""Embedded scheduler: runs every periodic job of CELERY_BEAT_SCHEDULE on its interval.

In production Celery beat does this against the broker. Embedded (no broker) tasks run inline in
this process; when a broker is configured (``make run`` with ``REDIS_URL``) each due job is sent to
the worker instead. Each job is idempotent and claims its own work, so running it beside a real
worker (or twice) never does the work twice.
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from confide.celery import app

log = logging.getLogger("confide.scheduler")

#: How often the loop wakes up to look for due jobs (and for a stop signal).
TICK_SECONDS = 0.5


def interval_seconds(schedule: object) -> float:
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    return float(str(schedule))


def run_due(next_run: dict[str, float], now: float) -> list[str]:
    """Start every job whose time has come; returns the names started (failures are logged)."""
    started = []
    for name, entry in list(settings.CELERY_BEAT_SCHEDULE.items()):
        if next_run.get(name, 0.0) > now:
            continue
        next_run[name] = now + interval_seconds(entry["schedule"])
        task = app.tasks[str(entry["task"])]
        try:
            if settings.CELERY_TASK_ALWAYS_EAGER:
                task.apply(throw=True)
            else:
                task.apply_async()
        except Exception:
            log.exception("periodic job %s failed", name)
            continue
        started.append(name)
    return started


class Command(BaseCommand):
    help = "Run periodic jobs on their schedule (embedded default)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Importing every app's tasks.py registers its @periodic jobs.
        app.loader.import_default_modules()
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        if options["once"]:
            started = run_due({}, time.monotonic())
            self.stdout.write(f"ran {len(started)} periodic job(s): {', '.join(started)}")
            return
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        next_run: dict[str, float] = {}
        while not stopping:
            run_due(next_run, time.monotonic())
            time.sleep(TICK_SECONDS)
