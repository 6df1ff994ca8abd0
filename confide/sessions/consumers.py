"""The room websocket: ``/ws/sessions/<booking id>/`` — WebRTC signaling only.

Offers, answers and ICE candidates are relayed to the *other* participant through
``confide.core.events.asend_event``; media never reaches this server (CARE-3). Access is checked
on connect (participant, access policy, room window) and again on every frame, and the socket is
bound to the sign-in that opened it (``confide.core.sockets``). Signaling frames are rate-limited
per socket: a call needs a few dozen, a flood is refused with a typed error and never relayed.
"""

from __future__ import annotations

import json
import time
from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from confide.core.events import asend_event, user_group
from confide.core.sockets import SessionBoundConsumer, read_json_frame
from confide.core.times import user_language
from confide.messaging.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from confide.sessions import services

MAX_FRAME = 64 * 1024  # bytes; an SDP with many codecs stays well below this
#: Relayed frames per socket in any RATE_WINDOW seconds. Setting up a call with trickle ICE takes
#: one offer or answer and a few dozen candidates; renegotiation and mute flags add a handful.
RATE_LIMIT = 120
RATE_WINDOW = 10.0
RELAYED = {"offer", "answer", "ice", "media"}
ERRORS: dict[str, Any] = {
    "malformed": _("The call data could not be read. Please reload the page."),
    "too_large": _("The call data was too large."),
    "unknown_type": _("This call action is not supported."),
    "closed": _("This session room is closed."),
    "rate_limited": _("Too much call data at once. Please wait a moment."),
}


class RoomConsumer(SessionBoundConsumer):
    user: Any
    booking: Any
    other_id: int
    joined: bool
    _window: tuple[float, int] = (0.0, 0)

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.joined = False
        if self.user is None or not self.user.is_authenticated or self.user.is_blocked:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        booking_id = self.scope["url_route"]["kwargs"]["booking_id"]
        try:
            self.booking = await database_sync_to_async(services.enter_room)(self.user, booking_id)
        except (PermissionDenied, services.RoomClosed):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if not await self.bind_session(self.user):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.other_id = services.other_participant_id(self.booking, self.user.pk)
        await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        await self.accept()
        peer_present = await database_sync_to_async(services.record_join)(self.user, self.booking)
        self.joined = True
        role = "client" if self.user.pk == self.booking.client_id else "counselor"
        await self.send(
            text_data=json.dumps(
                {
                    "type": "welcome",
                    "role": role,
                    "peer_present": peer_present,
                    "ice_servers": await database_sync_to_async(services.ice_servers)(
                        self.user, self.booking
                    ),
                }
            )
        )
        await asend_event(self._event("peer.joined"), [self.other_id])

    async def disconnect(self, code: int) -> None:
        await self.unbind_session()
        if not self.joined:
            return
        await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
        await database_sync_to_async(services.record_leave)(self.user, self.booking)
        await asend_event(self._event("peer.left"), [self.other_id])

    def _event(self, kind: str, **data: Any) -> dict[str, Any]:
        return {"type": kind, "booking": str(self.booking.pk), "from": self.user.pk, **data}

    async def still_allowed(self) -> bool:
        return bool(await database_sync_to_async(services.still_allowed)(self.user, self.booking))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        frame, problem = _parse(text_data)
        if not await self.session_alive(activity=frame.get("type") != "ping"):
            return
        if problem:
            await self._error(problem)
            return
        if not await self.still_allowed():
            await self._error("closed")
            await self.close(code=CLOSE_FORBIDDEN)
            return
        kind = frame["type"]
        if kind == "ping":
            return
        if kind not in RELAYED:
            await self._error("unknown_type")
            return
        if self._over_rate():
            await self._error("rate_limited")
            return
        payload = {k: frame[k] for k in ("sdp", "candidate", "audio", "video") if k in frame}
        await asend_event(self._event(f"signal.{kind}", **payload), [self.other_id])

    async def _error(self, code: str) -> None:
        with translation.override(user_language(self.user)):
            text = str(ERRORS[code])
        await self.send(text_data=json.dumps({"type": "error", "code": code, "message": text}))

    def _over_rate(self, now: float | None = None) -> bool:
        """Fixed window per socket: held in the consumer, so it costs no cache round trip."""
        now = time.monotonic() if now is None else now
        started, count = self._window
        if now - started >= RATE_WINDOW:
            started, count = now, 0
        self._window = (started, count + 1)
        return count >= RATE_LIMIT

    async def live_event(self, message: dict[str, Any]) -> None:
        if not self.bound:
            return  # its sign-in ended: nothing more reaches this socket
        event = message["event"]
        if event.get("booking") != str(self.booking.pk):
            return  # a chat event or another room: not for this socket
        await self.send(text_data=json.dumps(event))


def _valid(frame: dict[str, Any]) -> bool:
    """Shape check: fields of the right JSON types."""
    if "sdp" in frame and not isinstance(frame["sdp"], str):
        return False
    if "candidate" in frame and not isinstance(frame["candidate"], (dict, type(None))):
        return False
    return all(isinstance(frame.get(k, False), bool) for k in ("audio", "video"))


def _parse(text_data: str | None) -> tuple[dict[str, Any], str]:
    """The frame and an error code ("" when fine)."""
    frame, problem = read_json_frame(text_data, MAX_FRAME)
    if problem:
        return {}, problem
    return (frame, "") if _valid(frame) else ({}, "malformed")
