"""The room socket relays signaling only between the two participants, checks access on
connect and on every frame, and refuses bad frames cleanly."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter

from confide.sessions.models import SessionEvent
from confide.sessions.routing import websocket_urlpatterns
from tests.messaging.ws import SignedInCommunicator, WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


def room(user: Any, booking_id: Any) -> WebsocketCommunicator:
    comm = SignedInCommunicator(URLRouter(websocket_urlpatterns), f"/ws/sessions/{booking_id}/")
    comm.scope["user"] = user
    return comm


async def receive(comm: WebsocketCommunicator) -> dict[str, Any]:
    return json.loads(await comm.receive_from(timeout=10))


@pytest.mark.promise("LOG-4")
@pytest.mark.parametrize("who", ["stranger", "other_counselor"])
def test_outsiders_cannot_enter_the_room(booking: Any, request: Any, who: str) -> None:
    user = request.getfixturevalue(who)

    async def scenario() -> None:
        connected, code = await room(user, booking.pk).connect()
        assert not connected and code == 4403

    run(scenario)
    assert not SessionEvent.objects.exists()


@pytest.mark.promise("CARE-2")
@pytest.mark.promise("CARE-3")
def test_signaling_is_relayed_to_the_other_participant_only(
    booking: Any, client_user: Any, counselor: Any
) -> None:
    async def scenario() -> None:
        client = room(client_user, booking.pk)
        assert (await client.connect())[0]
        welcome = await receive(client)
        assert welcome["type"] == "welcome" and welcome["role"] == "client"
        assert welcome["peer_present"] is False
        therapist = room(counselor, booking.pk)
        assert (await therapist.connect())[0]
        assert (await receive(therapist))["peer_present"] is True
        assert (await receive(client))["type"] == "peer.joined"
        await therapist.send_to(text_data=json.dumps({"type": "offer", "sdp": "v=0 offer"}))
        offer = await receive(client)
        assert offer["type"] == "signal.offer" and offer["sdp"] == "v=0 offer"
        assert await therapist.receive_nothing(timeout=0.2)  # never echoed to the sender
        await client.send_to(text_data=json.dumps({"type": "ice", "candidate": {"candidate": "c"}}))
        assert (await receive(therapist))["candidate"] == {"candidate": "c"}
        await client.disconnect()
        assert (await receive(therapist))["type"] == "peer.left"
        await therapist.disconnect()

    run(scenario)
    kinds = list(SessionEvent.objects.order_by("at").values_list("kind", flat=True))
    assert kinds == ["join", "join", "start", "leave", "leave", "end"]


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{oops", "malformed"),
        (json.dumps({"type": "offer", "sdp": 42}), "malformed"),
        (json.dumps({"type": "offer", "sdp": "x" * 70000}), "too_large"),
        # 40,000 characters but 80,000 bytes: the limit counts bytes.
        (json.dumps({"type": "offer", "sdp": "é" * 40000}, ensure_ascii=False), "too_large"),
        # Nested far past the parser's recursion limit, well inside the size limit.
        ('{"type": "offer", "candidate": ' + "[" * 20000 + "]" * 20000 + "}", "malformed"),
        (json.dumps({"type": "record"}), "unknown_type"),
    ],
    ids=["not-json", "sdp-type", "too-large", "bytes-not-chars", "deep-nesting", "unknown"],
)
def test_bad_signaling_frames_are_refused(
    booking: Any, client_user: Any, frame: str, code: str
) -> None:
    async def scenario() -> None:
        comm = room(client_user, booking.pk)
        assert (await comm.connect())[0]
        await receive(comm)  # welcome
        await comm.send_to(text_data=frame)
        reply = await receive(comm)
        assert reply["type"] == "error" and reply["code"] == code and reply["message"]
        await comm.disconnect()

    run(scenario)


@pytest.mark.promise("LOG-4")
def test_access_is_rechecked_on_every_signaling_frame(
    booking: Any, counselor: Any, care: Any
) -> None:
    from django.utils import timezone

    @database_sync_to_async
    def end_care() -> None:
        care.ended_at = timezone.now()
        care.save()

    async def scenario() -> None:
        comm = room(counselor, booking.pk)
        assert (await comm.connect())[0]
        await receive(comm)
        await end_care()
        await comm.send_to(text_data=json.dumps({"type": "offer", "sdp": "v=0"}))
        assert (await receive(comm))["code"] == "closed"
        assert (await comm.receive_output(timeout=1))["type"] == "websocket.close"

    run(scenario)


def test_a_signaling_flood_is_refused_and_not_relayed(
    booking: Any, client_user: Any, counselor: Any
) -> None:
    from confide.sessions.consumers import RATE_LIMIT

    async def scenario() -> None:
        mine, theirs = room(client_user, booking.pk), room(counselor, booking.pk)
        assert (await mine.connect())[0]
        await receive(mine)  # welcome
        assert (await theirs.connect())[0]
        await receive(theirs)  # welcome
        await receive(mine)  # peer joined
        candidate = json.dumps({"type": "ice", "candidate": {"candidate": "c"}})
        for _ in range(RATE_LIMIT + 5):
            await mine.send_to(text_data=candidate)
        refused = [await receive(mine) for _ in range(5)]
        assert all(reply["code"] == "rate_limited" and reply["message"] for reply in refused)
        relayed = 0
        while not await theirs.receive_nothing(timeout=0.3):
            relayed += (await receive(theirs))["type"] == "signal.ice"
        assert relayed == RATE_LIMIT
        await mine.disconnect()
        await theirs.disconnect()

    run(scenario)


@pytest.mark.promise("ACC-4")
def test_signing_out_closes_the_room_socket(booking: Any, client_user: Any) -> None:
    from django.test import Client

    web = Client()
    web.force_login(client_user)

    async def scenario() -> None:
        comm = room(client_user, booking.pk)
        comm.scope["session"] = await database_sync_to_async(_session_of)(web)
        assert (await comm.connect())[0]
        await receive(comm)  # welcome
        await database_sync_to_async(web.post)("/accounts/logout/")
        assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": 4401}
        await comm.send_to(text_data=json.dumps({"type": "offer", "sdp": "v=0"}))
        assert await comm.receive_nothing(timeout=0.3)

    run(scenario)


def _session_of(web: Any) -> Any:
    from importlib import import_module

    from django.conf import settings

    key = web.cookies[settings.SESSION_COOKIE_NAME].value
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
