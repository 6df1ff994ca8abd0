"""PostgreSQL connections stay bounded under the ASGI server (CI's PostgreSQL run): a burst of 200
concurrent requests never holds more than the pool's size, none fails, and nothing is left behind
when the server stops. With persistent connections (the old setting) the same burst held one
connection per request thread and exhausted the server."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
POOL_SIZE = 4
BURST = 200
PROBE_NAME = "confide-pool-probe"

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (CI's second run)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_connections(database: dict[str, Any]) -> int:
    import psycopg

    with psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], dbname="postgres"
    ) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
            (database["NAME"], PROBE_NAME),
        ).fetchone()
    return int(row[0]) if row else 0


def start_server(database: dict[str, Any], tmp_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        f"?application_name={PROBE_NAME}"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        DATABASE_URL=url,
        DB_POOL_SIZE=str(POOL_SIZE),
        CONFIDE_TESTING="0",
        CONFIDE_DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="127.0.0.1",
    )
    command = [
        sys.executable, "-m", "uvicorn", "confide.asgi:application", "--port", str(port),
        "--no-access-log", "--lifespan", "off", "--ws", "websockets-sansio",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/healthz", timeout=2)
            return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not start")


async def burst(base: str) -> list[int]:
    limits = httpx.Limits(max_connections=BURST)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as web:
        paths = ["/healthz", "/", "/privacy/"]  # a probe, the home page, a redirect
        answers = await asyncio.gather(
            *(web.get(paths[number % len(paths)]) for number in range(BURST))
        )
    return [answer.status_code for answer in answers]


def test_a_burst_of_concurrent_requests_never_holds_more_than_the_pool(
    transactional_db: Any, settings: Any, tmp_path: Path
) -> None:
    database = settings.DATABASES["default"]
    process, base = start_server(database, tmp_path)
    peak = 0
    sampling = True

    def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, server_connections(database))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        statuses = asyncio.run(burst(base))
    finally:
        sampling = False
        sampler.join()
    try:
        assert 0 < peak <= POOL_SIZE, f"{peak} connections held at once"
        # No request failed for want of a connection: pages answer, /healthz may only report a
        # degraded broker (503), never a server error.
        assert set(statuses) <= {200, 302, 503}, f"answers: {sorted(set(statuses))}"
        assert statuses.count(200) >= BURST // 2
        assert server_connections(database) <= POOL_SIZE
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert server_connections(database) == 0, "connections left behind after the server stopped"
    assert b"Traceback" not in (process.stderr.read() if process.stderr else b"")
