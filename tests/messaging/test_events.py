"""confide.core.events: the one choke point that fans live events out to per-user groups."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from confide.core import events


def test_send_event_reaches_each_recipient_group_once_and_no_one_else() -> None:
    layer = get_channel_layer()

    async def scenario() -> list[object]:
        alice = await layer.new_channel()
        bob = await layer.new_channel()
        carol = await layer.new_channel()
        for user_id, channel in ((1, alice), (2, bob), (3, carol)):
            await layer.group_add(events.user_group(user_id), channel)
        await events.asend_event({"type": "ping"}, [1, 2, 1])
        got = [await layer.receive(alice), await layer.receive(bob)]
        # Nothing more for alice (deduplicated) and nothing for carol.
        for channel in (alice, carol):
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(layer.receive(channel), 0.3)
        return got

    got = async_to_sync(scenario)()
    assert got == [{"type": "live.event", "event": {"type": "ping"}}] * 2


def test_collecting_defers_delivery_to_flush() -> None:
    with events.collecting() as batch:
        events.send_event({"type": "a"}, [1, 2])
    assert batch == [({"type": "a"}, [1, 2])]
