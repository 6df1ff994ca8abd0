"""Websockets bound to the session that opened them (ACC-4).

A socket lives no longer than its sign-in: it joins ``session_group(session key)`` on connect, and
whatever ends the session — sign-out, the preset's idle or absolute limit, blocking, erasure —
closes every socket of it on every process through the channel layer. Each frame re-checks that the
session still exists, still belongs to the same person and is within the preset's limits, so a
process that missed the message still refuses the next frame. The stamps that measure idle time and
lifetime are the ones the HTTP side writes (``SESSION_STARTED``/``SESSION_SEEN``), so both doors
agree.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
from collections.abc import MutableMapping
from importlib import import_module
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete

from confide.core.events import user_group
from confide.presets import current_preset

SESSION_STARTED = "confide_session_started"
SESSION_SEEN = "confide_session_seen"
#: Write the "last seen" stamp at most this often: saves a session write per request or frame.
SEEN_RESOLUTION = 60
#: Close code when the sign-in behind a socket has ended (4000-4999 are for applications).
CLOSE_SESSION_ENDED = 4401
#: Close code when access ended while the socket was open (care ended, for example).
CLOSE_FORBIDDEN = 4403
#: Channel-layer message types (Channels maps "session.ended" to ``session_ended``).
SESSION_ENDED = "session.ended"
ACCESS_CHANGED = "access.changed"


def read_json_frame(text_data: str | None, max_bytes: int) -> tuple[dict[str, Any], str]:
    """A text frame as a JSON object with a string ``type``, and an error code ("" when fine):
    ``too_large`` over ``max_bytes`` bytes of UTF-8 (not characters: a frame of emoji is four
    times its length), ``malformed`` for anything else, a deeply nested document included (the
    parser's recursion limit is an error like any other, never a traceback)."""
    if text_data is None:
        return {}, "malformed"
    if len(text_data) > max_bytes or len(text_data.encode("utf-8")) > max_bytes:
        return {}, "too_large"
    try:
        frame = json.loads(text_data)
    except (ValueError, RecursionError):
        return {}, "malformed"
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        return {}, "malformed"
    return frame, ""


def session_group(session_key: str) -> str:
    """The group of one sign-in's sockets. Hashed: the session key is a credential and must not
    sit in Redis as a group name."""
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def touch(session: MutableMapping[str, Any], now: float, *, activity: bool = True) -> float | None:
    """The one rule for both doors (pages and sockets): when the session runs out if nothing
    touches it again, or ``None`` when the preset's idle timeout or absolute lifetime has passed.
    ``activity`` (a page request, a frame the person sent) stamps it seen, at most once per
    ``SEEN_RESOLUTION``. A session without stamps (a test's force_login) starts counting now."""
    preset = current_preset()
    idle = preset.session_idle_timeout.total_seconds()
    lifetime = preset.session_absolute_lifetime.total_seconds()
    started = float(session.get(SESSION_STARTED, now))
    seen = float(session.get(SESSION_SEEN, now))
    if min(seen + idle, started + lifetime) < now:
        return None
    if activity:
        session.setdefault(SESSION_STARTED, now)
        if SESSION_SEEN not in session or now - seen >= SEEN_RESOLUTION:
            session[SESSION_SEEN] = seen = now
    return min(seen + idle, started + lifetime)


def live_session(session_key: str | None, user_id: int, *, activity: bool = False) -> float | None:
    """The deadline of ``session_key`` when it still exists, belongs to ``user_id`` and is within
    the preset's limits; ``None`` otherwise."""
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if str(store.get("_auth_user_id", "")) != str(user_id):
        return None
    ends = touch(store, time.time(), activity=activity)
    if ends is not None and store.modified:
        store.save()
    return ends


def _group_send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a request or task thread without a loop of its own
        async_to_sync(layer.group_send)(group, message)
        return
    # Sync code called from a thread that runs a loop (a synchronous Playwright test, an
    # embedding host): send from a short-lived thread rather than fail the sign-out.
    sender = threading.Thread(target=asyncio.run, args=(layer.group_send(group, message),))
    sender.start()
    sender.join()


def end_session_sockets(session_key: str) -> None:
    """Close every socket opened by this sign-in, on every process."""
    _group_send(session_group(session_key), {"type": SESSION_ENDED})


def end_user_sockets(user_id: int) -> None:
    """Close every socket of this person (blocked, erased), whichever sign-in opened it."""
    _group_send(user_group(user_id), {"type": SESSION_ENDED})


def access_changed(user_ids: list[int]) -> None:
    """Ask every socket of these people to re-check its access now (care ended, for example):
    the ones no longer allowed close at once instead of at their next frame."""
    for user_id in dict.fromkeys(user_ids):
        _group_send(user_group(user_id), {"type": ACCESS_CHANGED})


def _session_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Sign-out, "sign out everywhere", blocking and erasure all delete the session row: the
    sockets of that sign-in close once the deletion is committed."""
    if "_auth_user_id" not in instance.get_decoded():  # {} when undecodable
        return  # an anonymous session (cycled at sign-in) has no sockets
    key = instance.session_key
    transaction.on_commit(lambda: end_session_sockets(key), using=kwargs.get("using"))


def connect_signals() -> None:
    from django.contrib.sessions.models import Session

    post_delete.connect(_session_deleted, sender=Session, dispatch_uid="confide.sockets.session")


class SessionBoundConsumer(AsyncWebsocketConsumer):
    """Base of every authenticated socket. Subclasses call :meth:`bind_session` in ``connect``
    before accepting, :meth:`session_alive` at the start of every frame, :meth:`unbind_session`
    in ``disconnect``, and implement :meth:`still_allowed` for access re-checks."""

    session_key: str = ""
    #: False once the sign-in behind the socket is over: nothing more is sent on it.
    ended: bool = False
    _watch: asyncio.Task[None] | None = None

    @property
    def bound(self) -> bool:
        return bool(self.session_key) and not self.ended

    async def bind_session(self, user: Any) -> bool:
        session = self.scope.get("session")
        key = getattr(session, "session_key", None) or ""
        ends = await database_sync_to_async(live_session)(key, user.pk)
        if ends is None:
            return False
        self.session_key = key
        self._user_id = user.pk
        await self.channel_layer.group_add(session_group(key), self.channel_name)
        self._watch = asyncio.create_task(self._close_at(ends))
        return True

    async def unbind_session(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        if self.session_key:
            group = session_group(self.session_key)
            await self.channel_layer.group_discard(group, self.channel_name)

    async def session_alive(self, *, activity: bool = True) -> bool:
        """Per-frame check; closes the socket and returns False when the sign-in is over."""
        if not self.bound:
            return False
        ends = await database_sync_to_async(live_session)(
            self.session_key, self._user_id, activity=activity
        )
        if ends is None:
            await self.end_socket()
            return False
        return True

    async def end_socket(self, code: int = CLOSE_SESSION_ENDED) -> None:
        self.ended = True
        await self.close(code=code)

    async def _close_at(self, ends: float) -> None:
        """Close when the idle or absolute limit passes, even if no frame ever arrives. Activity
        elsewhere (another tab) moves the deadline, so it is re-read before closing."""
        while True:
            await asyncio.sleep(max(ends - time.time(), 0) + 0.05)
            found = await database_sync_to_async(live_session)(self.session_key, self._user_id)
            if found is None:
                await self.end_socket()
                return
            ends = found

    async def session_ended(self, message: dict[str, Any]) -> None:
        if self.bound:
            await self.end_socket()

    async def access_changed(self, message: dict[str, Any]) -> None:
        if self.bound and not await self.still_allowed():
            await self.end_socket(CLOSE_FORBIDDEN)

    async def still_allowed(self) -> bool:
        raise NotImplementedError
