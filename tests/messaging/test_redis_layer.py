"""Cross-process delivery through the Redis channel layer (CI's PostgreSQL + Redis run): a
message sent here reaches a socket group held by a *different process* with its own layer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

pytestmark = [
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI's second run)"),
    pytest.mark.django_db,
]

OTHER_PROCESS = """
import asyncio, json, sys
from channels_redis.core import RedisChannelLayer

async def main():
    layer = RedisChannelLayer(**json.loads(sys.argv[1]))
    channel = await layer.new_channel()
    await layer.group_add(sys.argv[2], channel)
    print("ready", flush=True)
    message = await asyncio.wait_for(layer.receive(channel), 10)
    print(json.dumps(message), flush=True)

asyncio.run(main())
"""


@pytest.mark.promise("CARE-5")
def test_message_reaches_a_socket_group_in_another_process(
    settings: Any,
    conversation: Any,
    client_user: Any,
    counselor: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from confide.core.events import user_group
    from confide.messaging import services

    layer = settings.CHANNEL_LAYERS["default"]
    assert layer["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            OTHER_PROCESS,
            json.dumps(layer["CONFIG"]),
            user_group(counselor.pk),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None
        assert other.stdout.readline().strip() == "ready"
        with django_capture_on_commit_callbacks(execute=True):
            message = services.send_message(client_user, conversation, "across processes")
        received = json.loads(other.stdout.readline())
    finally:
        other.kill()
        other.wait(5)
    assert received["type"] == "live.event"
    assert received["event"]["id"] == str(message.pk)
    assert received["event"]["body"] == "across processes"
