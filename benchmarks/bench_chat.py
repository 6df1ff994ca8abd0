"""Chat and signaling over websockets, against a bare Channels echo consumer in the same run.

Targets (issue 8): chat send → persisted encrypted → delivered to the other participant's socket
p50 ≤ 3 ms, p99 ≤ 15 ms at 200 sends/s, ≤ 10× the echo floor; embedded SQLite sustains
≥ 1,000 sends/s; ≥ 5,000 idle connections per worker (memory per connection reported);
signaling relay adds ≤ 5 ms p99 over the echo.

Latency runs drive the real consumers through Channels' in-process communicator (the same path
for the echo floor). The idle-connection run starts a real uvicorn worker on 127.0.0.1 in a
subprocess and opens authenticated websockets to it, then reads the worker's RSS.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

from benchmarks.harness import Result, percentile, setup_django

RATE = 200  # sends per second for the latency run
LATENCY_SENDS = 600
THROUGHPUT_SENDS = 2000
SIGNALS = 400
IDLE_CONNECTIONS = int(os.environ.get("BENCH_IDLE_CONNECTIONS", "5000"))


def _seed() -> dict[str, Any]:
    from django.core.management import call_command
    from django.utils import timezone

    from confide.accounts.models import User
    from confide.matching.models import CareRelationship
    from confide.messaging.services import conversation_for_care
    from confide.scheduling.models import Booking

    call_command("migrate", verbosity=0)
    User.objects.filter(email__endswith="@bench-chat.test").delete()
    client = User.objects.create(email="client@bench-chat.test", role="client")
    counselor = User.objects.create(email="counselor@bench-chat.test", role="counselor")
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=counselor, type=Authenticator.Type.WEBAUTHN, data={"credential": {}}
    )
    care = CareRelationship.objects.create(client=client, counselor=counselor)
    start = timezone.now() - timedelta(minutes=1)
    booking = Booking.objects.create(
        client=client, counselor=counselor, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    return {
        "client": client,
        "counselor": counselor,
        "conversation": conversation_for_care(care),
        "booking": booking,
    }


def _communicator(app: Any, path: str, user: Any) -> Any:
    from channels.routing import URLRouter

    from tests.messaging.ws import SignedInCommunicator

    comm = SignedInCommunicator(URLRouter(app), path)
    comm.scope["user"] = user
    return comm


async def _drain(comm: Any) -> None:
    while True:
        await comm.receive_from(timeout=3600)


async def _paced(send: Any, receive: Any, count: int, rate: float) -> list[float]:
    """Send ``count`` frames at ``rate`` per second; the latency of each from send to receipt."""
    samples = []
    interval = 1 / rate
    next_at = time.perf_counter()
    for n in range(count):
        now = time.perf_counter()
        if now < next_at:
            await asyncio.sleep(next_at - now)
        next_at += interval
        start = time.perf_counter()
        await send(n)
        await receive()
        samples.append(time.perf_counter() - start)
    return samples


async def _echo_floor() -> list[float]:
    from channels.generic.websocket import AsyncWebsocketConsumer
    from django.urls import path

    class Echo(AsyncWebsocketConsumer):
        async def receive(self, text_data: str | None = None, bytes_data: Any = None) -> None:
            await self.send(text_data=text_data)

    comm = _communicator([path("echo/", Echo.as_asgi())], "/echo/", None)
    await comm.connect()
    frame = json.dumps({"type": "send", "body": "x" * 80})
    samples = await _paced(
        lambda n: comm.send_to(text_data=frame), lambda: comm.receive_from(), LATENCY_SENDS, RATE
    )
    await comm.disconnect()
    return samples


async def _chat(seed: dict[str, Any]) -> tuple[list[float], float]:
    from confide.messaging.routing import websocket_urlpatterns

    path = f"/ws/messages/{seed['conversation'].pk}/"
    sender = _communicator(websocket_urlpatterns, path, seed["client"])
    receiver = _communicator(websocket_urlpatterns, path, seed["counselor"])
    await sender.connect()
    await receiver.connect()
    drain = asyncio.ensure_future(_drain(sender))

    async def send(n: int) -> None:
        body = f"bench message {n} " + "x" * 60
        await sender.send_to(text_data=json.dumps({"type": "send", "body": body}))

    async def delivered() -> None:
        while json.loads(await receiver.receive_from(timeout=10))["type"] != "message.new":
            pass

    latency = await _paced(send, delivered, LATENCY_SENDS, RATE)
    # Throughput: two conversations' worth of senders at once, as fast as the store allows.
    start = time.perf_counter()
    for n in range(THROUGHPUT_SENDS):
        await send(n)
    for _ in range(THROUGHPUT_SENDS):
        await delivered()
    rate = THROUGHPUT_SENDS / (time.perf_counter() - start)
    drain.cancel()
    await sender.disconnect()
    await receiver.disconnect()
    return latency, rate


async def _signaling(seed: dict[str, Any]) -> list[float]:
    from confide.sessions.routing import websocket_urlpatterns

    path = f"/ws/sessions/{seed['booking'].pk}/"
    a = _communicator(websocket_urlpatterns, path, seed["counselor"])
    b = _communicator(websocket_urlpatterns, path, seed["client"])
    await a.connect()
    await a.receive_from()  # welcome
    await b.connect()
    await b.receive_from()  # welcome
    await a.receive_from()  # peer.joined
    frame = json.dumps(
        {"type": "ice", "candidate": {"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host"}}
    )
    samples = await _paced(
        lambda n: a.send_to(text_data=frame), lambda: b.receive_from(), SIGNALS, RATE
    )
    await b.disconnect()
    await a.disconnect()
    return samples


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def _open_idle(port: int, path: str, cookie: str, count: int, into: list[Any]) -> None:
    """Open ``count`` sockets 50 at a time into ``into`` (kept on failure, to report how far
    the worker got)."""
    import websockets

    headers = {"Cookie": f"sessionid={cookie}", "Origin": f"http://127.0.0.1:{port}"}
    for batch in range(0, count, 50):
        opened = await asyncio.gather(
            *[
                websockets.connect(
                    f"ws://127.0.0.1:{port}{path}",
                    additional_headers=headers,
                    ping_interval=None,
                    open_timeout=60,
                )
                for _ in range(min(50, count - batch))
            ],
            return_exceptions=True,
        )
        into.extend(ws for ws in opened if not isinstance(ws, BaseException))
        if any(isinstance(ws, BaseException) for ws in opened):
            return


def _idle_connections(seed: dict[str, Any]) -> tuple[int, float, float]:
    """Open IDLE_CONNECTIONS authenticated chat sockets to one uvicorn worker; return how many
    stayed open, the worker's RSS growth per connection (KiB) and the connect rate."""
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(seed["client"].pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = seed["client"].get_session_auth_hash()
    session.create()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "CONFIDE_LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "confide.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws",
            "websockets-sansio",
            "--lifespan",
            "off",
            "--limit-concurrency",
            str(IDLE_CONNECTIONS + 100),
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        path = f"/ws/messages/{seed['conversation'].pk}/"

        async def run() -> tuple[int, float, float]:
            warm: list[Any] = []
            await _open_idle(port, path, session.session_key or "", 20, warm)
            before = _rss_kib(worker.pid)
            start = time.perf_counter()
            sockets: list[Any] = []
            await _open_idle(port, path, session.session_key or "", IDLE_CONNECTIONS, sockets)
            elapsed = time.perf_counter() - start
            await asyncio.sleep(1)
            after = _rss_kib(worker.pid)
            alive = sum(1 for ws in sockets if ws.state.name == "OPEN")
            for ws in sockets + warm:
                ws.transport.abort()  # closing 5,000 handshakes politely would dominate the run
            return alive, (after - before) / max(1, len(sockets)), len(sockets) / elapsed

        return asyncio.run(run())
    finally:
        worker.terminate()
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)


def run() -> list[Result]:
    setup_django()
    from django.test import override_settings

    seed = _seed()
    results: list[Result] = []
    with override_settings(MESSAGING_RATE_LIMIT=(10**9, 10)):
        echo = asyncio.run(_echo_floor())
        chat, rate = asyncio.run(_chat(seed))
        signals = asyncio.run(_signaling(seed))
    echo50, echo99 = percentile(echo, 50) * 1000, percentile(echo, 99) * 1000
    chat50, chat99 = percentile(chat, 50) * 1000, percentile(chat, 99) * 1000
    sig99 = percentile(signals, 99) * 1000
    notes = {"sends": LATENCY_SENDS, "rate_per_s": RATE}
    results += [
        Result(
            "chat", "send→delivered p50 (ms)", chat50, "ms", echo50, "≤ 3 ms; ≤ 10× echo", notes
        ),
        Result(
            "chat", "send→delivered p99 (ms)", chat99, "ms", echo99, "≤ 15 ms; ≤ 10× echo", notes
        ),
        Result(
            "chat",
            "sustained sends/s (SQLite)",
            rate,
            "1/s",
            None,
            "≥ 1,000/s",
            {"load_average_1m": round(os.getloadavg()[0], 2)},
        ),
        Result(
            "chat",
            "signaling relay p99 (ms)",
            sig99,
            "ms",
            echo99,
            "≤ echo + 5 ms",
            {"added_p99_ms": sig99 - echo99},
        ),
    ]
    if IDLE_CONNECTIONS:
        alive, per_conn, connect_rate = _idle_connections(seed)
        results += [
            Result(
                "chat",
                "idle connections held by one worker",
                alive,
                "conns",
                None,
                "≥ 5,000",
                {"connects_per_s": round(connect_rate)},
            ),
            Result("chat", "worker memory per idle connection", per_conn, "KiB", None, "reported"),
        ]
    return results
