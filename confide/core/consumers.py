"""Websocket fallbacks shared by every domain."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

#: Close code for a websocket path no domain serves (4000-4999 are for applications).
CLOSE_NOT_FOUND = 4404


class NotFoundConsumer(AsyncWebsocketConsumer):
    """Accepts the upgrade and closes with 4404, instead of an unhandled "No route" error (a 500
    with a traceback in the log) for paths no domain routes."""

    async def connect(self) -> None:
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)

    async def receive(self, text_data: Any = None, bytes_data: Any = None) -> None:
        return None
