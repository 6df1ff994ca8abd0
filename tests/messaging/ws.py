"""Channels' WebsocketCommunicator without daphne: ``channels.testing/__init__`` imports daphne
for its live-server test case only, which this project does not use (our live server is uvicorn,
tests/browser/harness.py). Shared by tests/messaging and tests/sessions."""

from __future__ import annotations

import sys
import types
from importlib import import_module
from pathlib import Path
from typing import Any

try:
    from channels.testing import WebsocketCommunicator
except ModuleNotFoundError:
    import channels

    _package = types.ModuleType("channels.testing")
    _package.__path__ = [str(Path(channels.__file__).parent / "testing")]
    sys.modules["channels.testing"] = _package
    from channels.testing.websocket import WebsocketCommunicator

__all__ = ["SignedInCommunicator", "WebsocketCommunicator", "signed_in_session"]


def signed_in_session(user: Any) -> Any:
    """A real session of ``user`` as the session middleware would put it in a socket's scope:
    a socket is bound to the sign-in that opened it, so a test socket needs one too."""
    from django.conf import settings
    from django.test import Client

    web = Client()
    web.force_login(user)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store(session_key=web.cookies[settings.SESSION_COOKIE_NAME].value)


class SignedInCommunicator(WebsocketCommunicator):  # type: ignore[misc,valid-type]
    """Signs ``scope["user"]`` in (a fresh session per socket, like a tab of its own browser)
    when the test gave no session. Done in ``connect`` because that runs in the event loop."""

    async def connect(self, timeout: float = 1) -> Any:
        from channels.db import database_sync_to_async

        user = self.scope.get("user")
        if "session" not in self.scope and getattr(user, "is_authenticated", False):
            self.scope["session"] = await database_sync_to_async(signed_in_session)(user)
        return await super().connect(timeout)
