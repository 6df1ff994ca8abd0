"""ACC-5 on websockets: they skip Django's middleware, so PasskeySocketGate refuses a counselor
whose session has not used the passkey, before any consumer sends client data."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from django.contrib.sessions.backends.db import SessionStore

from confide.accounts.websocket import PasskeySocketGate
from confide.core.routing import websocket_urlpatterns
from tests.accounts.helpers import record_passkey_step
from tests.messaging.ws import WebsocketCommunicator, signed_in_session

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(user: Any, session: SessionStore, conversation_id: Any) -> tuple[bool, Any]:
    async def scenario() -> tuple[bool, Any]:
        app = PasskeySocketGate(URLRouter(websocket_urlpatterns))
        comm = WebsocketCommunicator(app, f"/ws/messages/{conversation_id}/")
        comm.scope["user"] = user
        comm.scope["session"] = session
        connected, code = await comm.connect()
        await comm.disconnect()
        return connected, code

    return async_to_sync(scenario)()


@pytest.fixture
def conversation(care: Any) -> Any:
    from confide.messaging.services import conversation_for_care

    return conversation_for_care(care)


@pytest.mark.promise("ACC-5")
def test_a_socket_without_a_passkey_step_is_closed(counselor: Any, conversation: Any) -> None:
    session = SessionStore()
    session.create()
    assert _connect(counselor, session, conversation.pk) == (False, 4403)


@pytest.mark.promise("ACC-5")
def test_a_socket_after_a_passkey_step_is_let_through(counselor: Any, conversation: Any) -> None:
    session = signed_in_session(counselor)
    record_passkey_step(session, counselor)
    session.save()
    connected, _code = _connect(counselor, session, conversation.pk)
    assert connected


def test_clients_are_not_asked_for_a_passkey_on_sockets(
    client_user: Any, conversation: Any
) -> None:
    session = signed_in_session(client_user)
    connected, _code = _connect(client_user, session, conversation.pk)
    assert connected
