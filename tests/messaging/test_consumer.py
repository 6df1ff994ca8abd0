"""The conversation websocket with Channels' WebsocketCommunicator: authentication, the access
policy on connect and per frame, live delivery to every tab, and clean refusal of bad frames."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter

from confide.messaging.models import Message
from confide.messaging.routing import websocket_urlpatterns
from tests.messaging.ws import SignedInCommunicator, WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


def communicator(user: Any, conversation_id: Any) -> WebsocketCommunicator:
    comm = SignedInCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/messages/{conversation_id}/"
    )
    comm.scope["user"] = user
    return comm


async def receive(comm: WebsocketCommunicator) -> dict[str, Any]:
    return json.loads(await comm.receive_from(timeout=10))


@pytest.mark.promise("LOG-4")
@pytest.mark.parametrize("who", ["stranger", "other_counselor", "anonymous"])
def test_outsiders_are_refused_on_connect(conversation: Any, request: Any, who: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)

    async def scenario() -> None:
        comm = communicator(user, conversation.pk)
        connected, code = await comm.connect()
        assert not connected
        assert code == (4401 if who == "anonymous" else 4403)

    run(scenario)


def test_unknown_conversation_is_refused(client_user: Any, care: Any) -> None:
    async def scenario() -> None:
        comm = communicator(client_user, "5d1c6a70-0000-4000-8000-000000000000")
        connected, code = await comm.connect()
        assert not connected and code == 4403

    run(scenario)


@pytest.mark.promise("CARE-5")
def test_live_delivery_to_every_tab_of_both_sides(
    conversation: Any, client_user: Any, counselor: Any
) -> None:
    async def scenario() -> None:
        sender = communicator(client_user, conversation.pk)
        tab1 = communicator(counselor, conversation.pk)
        tab2 = communicator(counselor, conversation.pk)
        for comm in (sender, tab1, tab2):
            assert (await comm.connect())[0]
        await sender.send_to(
            text_data=json.dumps({"type": "send", "body": "hello there", "ref": "r1"})
        )
        got = [await receive(sender), await receive(sender)]
        assert {g["type"] for g in got} == {"sent", "message.new"}
        for tab in (tab1, tab2):
            event = await receive(tab)
            assert event["type"] == "message.new" and event["body"] == "hello there"
            assert event["sender"] == client_user.pk
        await tab1.send_to(text_data=json.dumps({"type": "typing"}))
        typing = await receive(sender)
        assert typing == {
            "type": "typing",
            "conversation": str(conversation.pk),
            "by": counselor.pk,
        }
        for comm in (sender, tab1, tab2):
            await comm.disconnect()

    run(scenario)
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "malformed"),
        ("[1, 2]", "malformed"),
        (json.dumps({"type": "send", "body": "x" * 20000}), "too_large"),
        ('{"type": "send", "body": ' + "[" * 5000 + "]" * 5000 + "}", "malformed"),
        (json.dumps({"type": "send", "body": "x" * 4001}), "too_long"),
        (json.dumps({"type": "send", "body": "   "}), "empty"),
        (json.dumps({"type": "send"}), "malformed"),
        (json.dumps({"type": "explode"}), "unknown_type"),
        (
            json.dumps(
                {
                    "type": "send",
                    "body": "hi",
                    "conversation": "00000000-0000-0000-0000-000000000001",
                }
            ),
            "wrong_conversation",
        ),
    ],
)
def test_bad_frames_get_a_translated_error_and_store_nothing(
    conversation: Any, client_user: Any, frame: str, code: str
) -> None:
    client_user.language = "es"
    client_user.save()

    async def scenario() -> None:
        comm = communicator(client_user, conversation.pk)
        assert (await comm.connect())[0]
        await comm.send_to(text_data=frame)
        reply = await receive(comm)
        assert reply["type"] == "error" and reply["code"] == code
        assert reply["message"]
        await comm.send_to(text_data=json.dumps({"type": "ping"}))  # still open and usable
        assert await comm.receive_nothing(timeout=0.2)
        await comm.disconnect()

    run(scenario)
    assert not Message.objects.exists()


def test_errors_are_in_the_users_language(conversation: Any, client_user: Any) -> None:
    client_user.language = "es"
    client_user.save()

    async def scenario() -> None:
        comm = communicator(client_user, conversation.pk)
        assert (await comm.connect())[0]
        await comm.send_to(text_data=json.dumps({"type": "send", "body": ""}))
        reply = await receive(comm)
        assert reply["message"] == "Escribe un mensaje antes de enviarlo."
        await comm.disconnect()

    run(scenario)


def test_flood_is_refused_on_the_socket(conversation: Any, client_user: Any, settings: Any) -> None:
    settings.MESSAGING_RATE_LIMIT = (2, 60)

    async def scenario() -> None:
        comm = communicator(client_user, conversation.pk)
        assert (await comm.connect())[0]
        codes = []
        for n in range(3):
            await comm.send_to(text_data=json.dumps({"type": "send", "body": f"m{n}"}))
        for _ in range(5):
            codes.append((await receive(comm))["type"])
        assert codes.count("error") == 1
        await comm.disconnect()

    run(scenario)
    assert Message.objects.count() == 2


@pytest.mark.promise("LOG-4")
def test_access_is_rechecked_on_every_frame(conversation: Any, counselor: Any, care: Any) -> None:
    from django.utils import timezone

    async def scenario() -> None:
        comm = communicator(counselor, conversation.pk)
        assert (await comm.connect())[0]
        await end_care()
        await comm.send_to(text_data=json.dumps({"type": "send", "body": "still there?"}))
        reply = await receive(comm)
        assert reply["type"] == "error" and reply["code"] == "not_allowed"
        assert (await comm.receive_output(timeout=1))["type"] == "websocket.close"

    from channels.db import database_sync_to_async

    @database_sync_to_async
    def end_care() -> None:
        care.ended_at = timezone.now()
        care.save()

    run(scenario)
    assert not Message.objects.exists()


def test_session_cookie_authenticates_through_the_real_stack(
    conversation: Any, client_user: Any, settings: Any
) -> None:
    from django.test import Client

    from confide.asgi import application

    settings.ALLOWED_HOSTS = ["testserver"]
    web = Client()
    web.force_login(client_user)
    cookie = web.cookies["sessionid"].value

    async def scenario() -> None:
        comm = WebsocketCommunicator(
            application,
            f"/ws/messages/{conversation.pk}/",
            headers=[
                (b"cookie", f"sessionid={cookie}".encode()),
                (b"origin", b"http://testserver"),
            ],
        )
        assert (await comm.connect())[0]
        await comm.disconnect()
        anonymous = WebsocketCommunicator(
            application,
            f"/ws/messages/{conversation.pk}/",
            headers=[(b"origin", b"http://testserver")],
        )
        connected, code = await anonymous.connect()
        assert not connected and code == 4401

    run(scenario)


@pytest.mark.promise("LOG-4")
def test_a_user_blocked_while_connected_is_refused_on_the_next_frame(
    conversation: Any, client_user: Any
) -> None:
    from channels.db import database_sync_to_async
    from django.utils import timezone

    from confide.accounts.models import User

    @database_sync_to_async
    def block() -> None:
        User.objects.filter(pk=client_user.pk).update(blocked_at=timezone.now())

    async def scenario() -> None:
        comm = communicator(client_user, conversation.pk)
        assert (await comm.connect())[0]
        await block()
        await comm.send_to(text_data=json.dumps({"type": "send", "body": "after the block"}))
        assert (await receive(comm))["code"] == "not_allowed"

    run(scenario)
    assert not Message.objects.exists()
