"""Websockets never pass Django's middleware, so the passkey confirmation rule (ACC-5) closes
them here: a counselor whose session has not used their passkey gets no live messages or calls,
exactly as they get no pages (AccountGateMiddleware)."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from confide.accounts import passkeys

#: The policy-violation close code the consumers use for "not allowed" (4403).
CLOSE_FORBIDDEN = 4403


class PasskeySocketGate:
    """ASGI middleware; sits inside channels' AuthMiddlewareStack (needs scope user + session)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and await database_sync_to_async(_refused)(scope):
            await receive()  # the client's websocket.connect
            await send({"type": "websocket.close", "code": CLOSE_FORBIDDEN})
            return None
        return await self.inner(scope, receive, send)


def _refused(scope: dict[str, Any]) -> bool:
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return False  # consumers refuse anonymous sockets themselves
    return passkeys.confirmation_required(scope.get("session"), user)
