"""The embedded scheduler runs @periodic jobs on their interval (inline, or via the broker)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from confide.celery import app
from confide.core.management.commands import run_scheduler as scheduler
from confide.core.management.commands.run_scheduler import run_due
from confide.core.tasks import periodic

runs: list[str] = []


@app.task(name="tests.core.scheduler_tick")
def tick() -> None:
    runs.append("tick")


@app.task(name="tests.core.scheduler_broken")
def broken() -> None:
    raise RuntimeError("this job always fails")


@pytest.fixture
def schedule(settings: Any) -> dict[str, Any]:
    # Every app registers its jobs on import; import them now, so they land in the real schedule
    # and not in this test's private one.
    app.loader.import_default_modules()
    settings.CELERY_BEAT_SCHEDULE = {}
    runs.clear()
    periodic("broken-job", timedelta(minutes=1))(broken)
    periodic("tick-job", timedelta(minutes=5))(tick)
    return dict(settings.CELERY_BEAT_SCHEDULE)


def test_once_runs_every_registered_job_and_survives_a_failing_one(
    schedule: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    logged: list[str] = []
    monkeypatch.setattr(scheduler.log, "exception", lambda msg, *args: logged.append(msg % args))
    out = StringIO()
    call_command("run_scheduler", once=True, stdout=out)
    assert runs == ["tick"]
    assert "ran 1 periodic job(s): tick-job" in out.getvalue()
    assert logged == ["periodic job broken-job failed"]


def test_jobs_run_again_only_when_their_interval_has_passed(schedule: dict[str, Any]) -> None:
    next_run: dict[str, float] = {}
    assert run_due(next_run, now=1000.0) == ["tick-job"]
    assert run_due(next_run, now=1000.0 + 60) == []  # broken-job is due again but fails
    assert run_due(next_run, now=1000.0 + 299) == []
    assert run_due(next_run, now=1000.0 + 300) == ["tick-job"]
    assert runs == ["tick", "tick"]


def test_with_a_broker_due_jobs_are_sent_to_the_worker(
    schedule: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent: list[str] = []
    monkeypatch.setattr(tick, "apply_async", lambda *a, **k: sent.append(tick.name))
    monkeypatch.setattr(broken, "apply_async", lambda *a, **k: sent.append(broken.name))
    assert sorted(run_due({}, now=0.0)) == ["broken-job", "tick-job"]
    assert sorted(sent) == ["tests.core.scheduler_broken", "tests.core.scheduler_tick"]
    assert runs == []  # nothing ran inline
