"""The conversation websocket: ``/ws/messages/<conversation id>/``.

Authenticates the session on connect and binds the socket to it (``confide.core.sockets``: sign-
out, expiry, blocking, erasure and the end of care close it), checks the access policy on connect
*and on every frame*, joins the user's own group (``confide.core.events.user_group``) and forwards
what the services publish there. Every frame is validated; bad input gets ``{"type": "error",
"code", "message"}`` in the user's language and nothing is stored.
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.utils import translation

from confide.core import events, times
from confide.core.events import user_group
from confide.core.sockets import (
    CLOSE_FORBIDDEN,
    CLOSE_SESSION_ENDED,
    SessionBoundConsumer,
    read_json_frame,
)
from confide.messaging import services
from confide.messaging.services import MessagingError, error

MAX_FRAME = 16 * 1024  # bytes of one incoming text frame
CLOSE_UNAUTHENTICATED = CLOSE_SESSION_ENDED


class ConversationConsumer(SessionBoundConsumer):
    user: Any
    conversation: Any
    group: str
    zone: Any

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.group = ""
        if self.user is None or not self.user.is_authenticated or self.user.is_blocked:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        try:
            self.conversation = await database_sync_to_async(services.open_conversation)(
                self.user, conversation_id
            )
        except PermissionDenied:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if not await self.bind_session(self.user):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        # Read once, in a worker thread: a counselor's zone may need a query.
        self.zone = await database_sync_to_async(times.user_zone)(self.user)
        self.group = user_group(self.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.unbind_session()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def still_allowed(self) -> bool:
        try:
            await database_sync_to_async(services.check_access)(self.user, self.conversation)
        except PermissionDenied:
            return False
        return True

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        frame: dict[str, Any] | None = None
        problem = None
        try:
            frame = self._parse(text_data, bytes_data)
        except MessagingError as exc:
            problem = exc
        # The sign-in is checked before anything is answered; a ping is not the person's activity,
        # or an open tab would keep a session from ever reaching its idle limit.
        if not await self.session_alive(activity=(frame or {}).get("type") != "ping"):
            return
        try:
            if problem is not None or frame is None:
                raise problem or error("malformed")
            reply, batch = await database_sync_to_async(self._handle_collecting)(frame)
            await events.flush(batch)
            if reply is not None:
                await self.send(text_data=json.dumps(reply))
        except MessagingError as exc:
            await self._send_error(exc, frame_ref=frame)
        except PermissionDenied:
            # Access ended while the socket was open (care ended, account blocked).
            await self._send_error(error("not_allowed"), frame_ref=None)
            await self.close(code=CLOSE_FORBIDDEN)

    def _parse(self, text_data: str | None, bytes_data: bytes | None) -> dict[str, Any]:
        frame, problem = read_json_frame(text_data, MAX_FRAME)
        if problem:
            raise error(problem)
        given = frame.get("conversation")
        if given is not None and str(given) != str(self.conversation.pk):
            raise error("wrong_conversation")
        return frame

    def _handle_collecting(
        self, frame: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, list[tuple[dict[str, Any], list[int]]]]:
        with events.collecting() as batch:
            reply = self._handle(frame)
        return reply, batch

    def _handle(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        """Runs in a worker thread: re-checks access, then calls one service."""
        conversation = self.conversation
        services.check_access(self.user, conversation)
        kind = frame["type"]
        if kind == "send":
            session = self.scope.get("session")
            message = services.send_message(
                self.user,
                conversation,
                frame.get("body"),
                session_key=getattr(session, "session_key", None),
            )
            return {"type": "sent", "ref": frame.get("ref"), "id": str(message.id)}
        elif kind == "typing":
            services.typing(self.user, conversation)
        elif kind == "read":
            services.mark_read(self.user, conversation)
        elif kind != "ping":
            raise error("unknown_type")
        return None

    async def live_event(self, message: dict[str, Any]) -> None:
        if not self.bound:
            return  # not bound yet, or its sign-in ended: nothing reaches such a socket
        event = message["event"]
        if event.get("conversation") != str(self.conversation.pk):
            return  # another conversation of this user: that tab's socket shows it
        if "created_at" in event:
            # The same event goes to both participants; each socket words the time for its own
            # person, so the page's script never formats a time itself.
            event = {**event, "created_at_text": self._when(event["created_at"])}
        await self.send(text_data=json.dumps(event))

    def _when(self, moment: str) -> str:
        with translation.override(times.user_language(self.user)):
            return times.when(moment, "short", tz=self.zone)

    async def _send_error(self, exc: MessagingError, frame_ref: Any) -> None:
        ref = frame_ref.get("ref") if isinstance(frame_ref, dict) else None
        with translation.override(times.user_language(self.user)):
            text = str(exc.message)
        await self.send(
            text_data=json.dumps({"type": "error", "code": exc.code, "message": text, "ref": ref})
        )
