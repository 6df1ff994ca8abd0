"""`manage.py serve` (what `make run` runs) as a real process tree: it serves HTTP, websockets and
static files, and SIGTERM to its process group leaves no process behind."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def group_members(pgid: int) -> set[int]:
    """Live (non-zombie) processes whose process group is ``pgid`` (from /proc)."""
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command: state ppid pgrp …
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            members.add(int(entry.name))
    return members


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CONFIDE_TESTING", "PORT"}
        and not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(CONFIDE_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", **extra)
    return env


def wait_for_health(url: str, process: subprocess.Popen[bytes], timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited early with {process.returncode}")
        try:
            return dict(httpx.get(url, timeout=2).json())
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer within {timeout} s")


def start(tmp_path: Path, **extra: str) -> tuple[subprocess.Popen[bytes], int, Path]:
    env = server_env(tmp_path, **extra)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=120)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*manage, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as `make run` in a terminal
        )
    return process, port, log


def stop_group(process: subprocess.Popen[bytes]) -> set[int]:
    """SIGTERM the group, wait for serve; return the pids still alive shortly after."""
    pgid = process.pid
    os.killpg(pgid, signal.SIGTERM)
    process.wait(timeout=15)
    deadline = time.monotonic() + 10
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return group_members(pgid)


@pytest.fixture
def cleanup() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None or group_members(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def websocket_close_code(url: str, origin: str) -> int | None:
    """Close code the server sends (sync client: a test may already run an event loop)."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect
    from websockets.typing import Origin

    with connect(url, origin=Origin(origin), open_timeout=5) as ws:
        try:
            ws.recv(timeout=5)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
    return None


def test_serve_runs_web_and_scheduler_and_sigterm_stops_them_all(
    tmp_path: Path, cleanup: list[subprocess.Popen[bytes]]
) -> None:
    process, port, log = start(tmp_path)
    cleanup.append(process)
    base = f"http://127.0.0.1:{port}"
    health = wait_for_health(f"{base}/healthz", process, timeout=60)
    assert health == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok", "task_queue": "inline"},
    }

    # Pages, translations and static files come from the same server.
    page = httpx.get(f"{base}/", headers={"Accept-Language": "sv"}, timeout=5)
    assert page.status_code == 200 and '<html lang="sv"' in page.text
    css = httpx.get(f"{base}/static/core/confide.css", timeout=5)
    assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]

    # The websocket upgrade is served; a path no domain routes closes cleanly with 4404.
    code = websocket_close_code(f"ws://127.0.0.1:{port}/ws/nowhere/", base)
    assert code == 4404

    members = group_members(process.pid)
    assert len(members) >= 3, "serve, the web server and the scheduler"
    output = log.read_text()
    assert "Services: scheduler, web" in output and "Press Ctrl-C to stop." in output

    assert stop_group(process) == set()
    assert process.returncode == 0
    assert "Traceback" not in log.read_text()


def test_serve_forwards_sigterm_sent_to_it_alone(
    tmp_path: Path, cleanup: list[subprocess.Popen[bytes]]
) -> None:
    process, port, _log = start(tmp_path)
    cleanup.append(process)
    wait_for_health(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
    process.send_signal(signal.SIGTERM)  # only serve, not its children
    process.wait(timeout=15)
    deadline = time.monotonic() + 10
    while group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group_members(process.pid) == set()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI second run)")
def test_serve_starts_a_celery_worker_when_a_broker_is_configured(
    tmp_path: Path, cleanup: list[subprocess.Popen[bytes]]
) -> None:
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/7"
    process, port, log = start(tmp_path, REDIS_URL=redis_url, CHANNEL_PREFIX="serve_test")
    cleanup.append(process)
    health = wait_for_health(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
    assert health["checks"] == {"database": "ok", "channel_layer": "ok", "task_queue": "ok"}
    deadline = time.monotonic() + 20
    while "ready." not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    output = log.read_text()
    assert "Services: scheduler, web, worker" in output
    assert "ready." in output, "the Celery worker reported ready"
    assert stop_group(process) == set()
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # the broker's bindings, nothing else lives there


def test_when_one_service_dies_serve_stops_the_rest_and_fails(
    tmp_path: Path, cleanup: list[subprocess.Popen[bytes]]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = server_env(tmp_path)
        manage = [sys.executable, str(ROOT / "manage.py")]
        process = subprocess.Popen(
            [*manage, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        cleanup.append(process)
        output, _ = process.communicate(timeout=30)  # uvicorn cannot bind: it exits at once
    assert process.returncode != 0
    assert b"stopped unexpectedly" in output
    deadline = time.monotonic() + 10
    while group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group_members(process.pid) == set()


def test_the_server_refuses_websocket_frames_larger_than_any_consumer_accepts() -> None:
    from confide.core.management.commands.serve import WS_MAX_SIZE, service_commands
    from confide.messaging.consumers import MAX_FRAME as CHAT_FRAME
    from confide.sessions.consumers import MAX_FRAME as SIGNALING_FRAME

    web = service_commands("127.0.0.1", 8000)["web"]
    assert web[web.index("--ws-max-size") + 1] == str(WS_MAX_SIZE)
    assert max(CHAT_FRAME, SIGNALING_FRAME) <= WS_MAX_SIZE <= 64 * 1024
    documented = (ROOT / "docs" / "deployment.md").read_text()
    assert f"--ws-max-size {WS_MAX_SIZE} " in documented
