"""A socket lives no longer than the sign-in that opened it (ACC-4): sign-out, the preset's idle
and absolute limits, blocking, erasure and the end of care close an open chat socket at once, on
the in-memory layer and on Redis, and a frame sent after that is neither stored nor relayed."""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from django.test import Client

from confide.core.sockets import SESSION_SEEN, SESSION_STARTED
from confide.messaging.models import Message
from confide.messaging.routing import websocket_urlpatterns
from tests.messaging.ws import SignedInCommunicator, WebsocketCommunicator, signed_in_session

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_SIGNED_OUT = {"type": "websocket.close", "code": 4401}
CLOSED_FORBIDDEN = {"type": "websocket.close", "code": 4403}


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


def use_layer(settings: Any, layer: str) -> None:
    """``memory``: the embedded default. ``redis``: CI's second run, where the closing message
    crosses the Redis layer exactly as it would between processes."""
    if layer == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("needs REDIS_URL (CI's second run)")
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis")
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def chat(user: Any, conversation: Any, session: Any = None) -> WebsocketCommunicator:
    comm = SignedInCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/messages/{conversation.pk}/"
    )
    comm.scope["user"] = user
    if session is not None:
        comm.scope["session"] = session
    return comm


def browser_of(user: Any) -> tuple[Client, Any]:
    """A signed-in browser and the server-side session its cookie names."""
    from importlib import import_module

    from django.conf import settings

    web = Client()
    web.force_login(user)
    key = web.cookies[settings.SESSION_COOKIE_NAME].value
    return web, import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def stored_by(user: Any) -> int:
    return Message.objects.filter(sender=user).count()


@pytest.mark.promise("ACC-4")
@pytest.mark.parametrize("layer", ["memory", "redis"])
def test_signing_out_closes_the_chat_socket_and_it_hears_and_sends_nothing_more(
    layer: str, settings: Any, conversation: Any, client_user: Any, counselor: Any
) -> None:
    use_layer(settings, layer)
    web, session = browser_of(client_user)

    async def scenario() -> None:
        mine = chat(client_user, conversation, session)
        theirs = chat(counselor, conversation)
        assert (await mine.connect())[0] and (await theirs.connect())[0]
        response = await database_sync_to_async(web.post)("/accounts/logout/")
        assert response.status_code in (200, 302)
        assert await mine.receive_output(timeout=5) == CLOSED_SIGNED_OUT
        # The other person writes: nothing reaches the signed-out tab.
        await theirs.send_json_to({"type": "send", "body": "are you still there?", "ref": "1"})
        assert (await theirs.receive_json_from(timeout=5))["type"] in {"sent", "message"}
        # The signed-out tab writes: nothing is stored, nothing is answered.
        await mine.send_json_to({"type": "send", "body": "written after sign-out", "ref": "2"})
        assert await mine.receive_nothing(timeout=0.5)
        await theirs.disconnect()

    run(scenario)
    assert stored_by(client_user) == 0
    assert stored_by(counselor) == 1


@pytest.mark.promise("ACC-4")
def test_a_socket_cannot_open_on_an_ended_or_expired_sign_in(
    conversation: Any, client_user: Any
) -> None:
    from confide.presets import current_preset

    web, ended = browser_of(client_user)
    web.post("/accounts/logout/")
    _, expired = browser_of(client_user)
    lifetime = current_preset().session_absolute_lifetime.total_seconds()
    expired[SESSION_STARTED] = time.time() - lifetime - 60
    expired[SESSION_SEEN] = time.time()
    expired.save()
    _, someone_elses = browser_of(conversation.counselor)

    async def scenario() -> None:
        for session in (ended, expired, someone_elses):
            connected, code = await chat(client_user, conversation, session).connect()
            assert not connected and code == 4401

    run(scenario)


@pytest.mark.promise("ACC-4")
def test_the_idle_limit_closes_a_quiet_socket_without_any_frame(
    conversation: Any, client_user: Any
) -> None:
    from confide.presets import current_preset

    _, session = browser_of(client_user)
    idle = current_preset().session_idle_timeout.total_seconds()
    session[SESSION_SEEN] = time.time() - idle + 1.5  # the limit passes 1.5 s from now
    session.save()

    async def scenario() -> None:
        comm = chat(client_user, conversation, session)
        assert (await comm.connect())[0]
        assert await comm.receive_output(timeout=6) == CLOSED_SIGNED_OUT

    run(scenario)


@pytest.mark.promise("ACC-4")
def test_keep_alive_pings_do_not_keep_an_idle_sign_in_alive(
    conversation: Any, client_user: Any
) -> None:
    _, session = browser_of(client_user)
    session[SESSION_SEEN] = before = time.time() - 600
    session.save()

    async def scenario() -> None:
        comm = chat(client_user, conversation, session)
        assert (await comm.connect())[0]
        await comm.send_json_to({"type": "ping"})
        assert await comm.receive_nothing(timeout=0.3)
        await comm.disconnect()

    run(scenario)
    session.load()
    assert float(type(session)(session.session_key).load()[SESSION_SEEN]) == before


@pytest.mark.promise("ACC-4")
def test_a_frame_after_the_absolute_limit_is_refused_and_not_stored(
    conversation: Any, client_user: Any
) -> None:
    from confide.presets import current_preset

    _, session = browser_of(client_user)
    lifetime = current_preset().session_absolute_lifetime.total_seconds()

    async def scenario() -> None:
        comm = chat(client_user, conversation, session)
        assert (await comm.connect())[0]

        def age() -> None:  # as if the socket had been open for the whole lifetime
            session[SESSION_STARTED] = time.time() - lifetime - 1
            session.save()

        await database_sync_to_async(age)()
        await comm.send_json_to({"type": "send", "body": "too late", "ref": "1"})
        assert await comm.receive_output(timeout=5) == CLOSED_SIGNED_OUT

    run(scenario)
    assert stored_by(client_user) == 0


@pytest.mark.promise("ACC-4")
@pytest.mark.parametrize("how", ["blocked", "erased"])
def test_blocking_or_erasing_the_account_closes_its_sockets(
    how: str, conversation: Any, client_user: Any, staff_user: Any
) -> None:
    from confide.accounts.services import block_user
    from confide.privacy.erasure import erase_account

    async def scenario() -> None:
        comm = chat(client_user, conversation)
        assert (await comm.connect())[0]
        if how == "blocked":
            await database_sync_to_async(block_user)(staff_user, client_user, reason="test")
        else:
            await database_sync_to_async(erase_account)(client_user)
        assert await comm.receive_output(timeout=5) == CLOSED_SIGNED_OUT

    run(scenario)


@pytest.mark.promise("ACC-4")
def test_the_end_of_care_closes_the_former_counselors_socket_at_once(
    conversation: Any, client_user: Any, counselor: Any
) -> None:
    from confide.matching.services import request_change

    async def scenario() -> None:
        comm = chat(counselor, conversation)
        assert (await comm.connect())[0]
        await database_sync_to_async(request_change)(client_user)
        assert await comm.receive_output(timeout=5) == CLOSED_FORBIDDEN

    run(scenario)


def test_a_fresh_session_helper_is_a_real_signed_in_session(client_user: Any) -> None:
    session = signed_in_session(client_user)
    assert session.exists(session.session_key)
    assert str(session.load()["_auth_user_id"]) == str(client_user.pk)
