"""The one choke point for live events (architecture principle 4 applied to push).

Every live update — a new message, a deletion, a typing flag, a read receipt — goes through
:func:`send_event`, which fans it out to the per-user channel groups of exactly the user ids the
calling service chose. Consumers never broadcast on their own: each open tab of a user joins
``user_group(user_id)`` on connect and forwards what arrives there.

Events carry ids, counts and, for the two participants of a conversation only, the message text
they are allowed to read; they are never logged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

#: The consumer method that receives events (Channels maps "live.event" to ``live_event``).
EVENT_TYPE = "live.event"


#: Set by :func:`collecting`: events are gathered here instead of being sent at once.
_batch: ContextVar[list[tuple[dict[str, Any], list[int]]] | None] = ContextVar(
    "confide_event_batch", default=None
)


def user_group(user_id: int) -> str:
    return f"user.{int(user_id)}"


async def asend_event(event: dict[str, Any], user_ids: list[int]) -> None:
    """Async form of :func:`send_event` for code already running in the event loop."""
    layer = get_channel_layer()
    if layer is None:
        return
    for user_id in dict.fromkeys(user_ids):  # each recipient once, in order
        await layer.group_send(user_group(user_id), {"type": EVENT_TYPE, "event": event})


def send_event(event: dict[str, Any], user_ids: list[int]) -> None:
    """Deliver ``event`` (a JSON-serialisable dict with a ``"type"`` key) to every open
    connection of each user in ``user_ids``. Call after the data it describes is committed."""
    batch = _batch.get()
    if batch is not None:
        batch.append((event, list(user_ids)))
        return
    async_to_sync(asend_event)(event, user_ids)


@contextmanager
def collecting() -> Iterator[list[tuple[dict[str, Any], list[int]]]]:
    """Gather the events sent inside the block instead of sending them, for a websocket consumer
    that calls a service in a worker thread and then delivers them from the event loop with
    :func:`flush` (one thread hop less per frame). Recipients are still the service's choice."""
    batch: list[tuple[dict[str, Any], list[int]]] = []
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)


async def flush(batch: list[tuple[dict[str, Any], list[int]]]) -> None:
    for event, user_ids in batch:
        await asend_event(event, user_ids)
