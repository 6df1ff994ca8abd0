"""Tasks without a broker: they run inline, and nothing warns about the missing broker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A fresh process, as `make run` starts one: kombu's pools are built once per process, so only
# the first inline call can show the warning.
INLINE_CALL = """
import logging, django
logging.basicConfig(level=logging.WARNING)
django.setup()
from confide.celery import app
print("result", app.tasks["celery.accumulate"].delay(1, 2).get())
"""


def test_an_inline_task_runs_without_a_broker_warning(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL"}
        and not key.startswith("PYTEST_")
    }
    env.update(CONFIDE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="confide.settings")
    done = subprocess.run(
        [sys.executable, "-c", INLINE_CALL],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "result (1, 2)" in done.stdout
    assert "WARNING" not in done.stderr and "hostname" not in done.stderr, done.stderr
