"""Embedded scheduler: runs every periodic job of CELERY_BEAT_SCHEDULE on its interval.

In production Celery beat does this against the broker; embedded, tasks run inline, so this
small loop is the whole scheduler. Each job is idempotent and claims its own work, so running it
beside a real worker (or twice) never does the work twice.
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


class Command(BaseCommand):
    help = "Run periodic jobs on their schedule (embedded default)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        app.loader.import_default_modules()
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        next_run: dict[str, float] = {name: 0.0 for name in settings.CELERY_BEAT_SCHEDULE}
        while not stopping:
            now = time.monotonic()
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
                if next_run.get(name, 0.0) > now:
                    continue
                every = entry["schedule"]
                seconds = (
                    every.total_seconds() if isinstance(every, timedelta) else float(str(every))
                )
                next_run[name] = now + seconds
                try:
                    app.tasks[str(entry["task"])].apply()
                except Exception:
                    log.exception("periodic job %s failed", name)
            if options["once"]:
                return
            time.sleep(1.0)
