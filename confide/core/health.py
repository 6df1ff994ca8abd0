"""Health probes for /healthz. They report status only, never personal data.

Each probe makes a real round trip (a query, a message through the channel layer, a PING to the
broker) and is bounded in time, so a stuck dependency turns into an ``error`` quickly instead of
hanging the probe.
"""

from __future__ import annotations

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection

#: Seconds any single probe may take before it counts as failed.
PROBE_TIMEOUT = 2.0


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "missing"
    channel = f"healthz.{uuid.uuid4().hex}"

    async def roundtrip() -> bool:
        await layer.send(channel, {"type": "health.ping"})
        message = await asyncio.wait_for(layer.receive(channel), PROBE_TIMEOUT)
        return bool(message.get("type") == "health.ping")

    return "ok" if async_to_sync(roundtrip)() else "error"


def check_task_queue() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "inline"
    from confide.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=PROBE_TIMEOUT)
        if conn.transport.driver_type == "redis":
            conn.default_channel.client.ping()
    return "ok"


def run_checks() -> dict[str, str]:
    results: dict[str, str] = {}
    for name, probe in (
        ("database", check_database),
        ("channel_layer", check_channel_layer),
        ("task_queue", check_task_queue),
    ):
        try:
            results[name] = probe()
        except Exception as exc:
            results[name] = f"error: {type(exc).__name__}"
    return results
