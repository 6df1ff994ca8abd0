"""The CI machinery itself: `.ci/run` runs both databases and cannot pass vacuously."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DATABASE_", "REDIS_"))
    }
    env.update(extra)
    return env


def fake_make(tmp_path: Path, fail_target: str) -> Path:
    """A `make` that records each call (target and database) and fails ``fail_target``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls"
    script = bin_dir / "make"
    script.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$1 ${{DATABASE_URL:-sqlite}} ${{REDIS_URL:-memory}}" >> {log}\n'
        f'[ "$1" != "{fail_target}" ]\n'
    )
    script.chmod(0o755)
    return bin_dir


def run_ci(tmp_path: Path, fail_target: str) -> tuple[int, list[str]]:
    bin_dir = fake_make(tmp_path, fail_target)
    env = clean_env(PATH=f"{bin_dir}:{os.environ['PATH']}", CI_PG_USER="nobody-here")
    result = subprocess.run(
        [str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60
    )
    calls = (tmp_path / "calls").read_text().splitlines()
    return result.returncode, calls


def services_answer() -> bool:
    import socket

    for port in (5432, 6379):
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return False
    return True


def test_ci_fails_when_the_sqlite_run_fails_but_still_runs_the_second(tmp_path: Path) -> None:
    code, calls = run_ci(tmp_path, fail_target="test")
    assert code != 0
    assert calls[0] == "test sqlite memory"
    if services_answer():
        target, database, redis = calls[1].split()
        assert target == "test-only"
        assert database.startswith("postgres://") and "/confide_ci_" in database
        assert redis.startswith("redis://127.0.0.1:6379/")


def test_ci_fails_when_the_postgres_run_fails(tmp_path: Path) -> None:
    code, calls = run_ci(tmp_path, fail_target="test-only")
    assert code == (1 if services_answer() else 0)
    assert len(calls) == (2 if services_answer() else 1)


def test_ci_passes_when_both_runs_pass(tmp_path: Path) -> None:
    code, _calls = run_ci(tmp_path, fail_target="nothing")
    assert code == 0


def test_a_run_that_collects_no_tests_fails(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "test-only",
            "PYTEST_WORKERS=0",
            "PYTEST_ARGS=tests/core/test_settings.py -k no_test_has_this_name",
        ],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "collected no tests" in result.stdout


def test_each_test_worker_gets_its_own_redis_database() -> None:
    code = "from django.conf import settings; print(settings.REDIS_URL)"
    env = clean_env(
        DJANGO_SETTINGS_MODULE="confide.settings",
        CONFIDE_TESTING="1",
        REDIS_URL="redis://127.0.0.1:6379/9",
        PYTEST_XDIST_WORKER="gw1",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "redis://127.0.0.1:6379/11"
