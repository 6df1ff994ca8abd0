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
from tests.messaging.ws import WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


def room(user: Any, booking_id: Any) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/sessions/{booking_id}/")
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
        (json.dumps({"type": "record"}), "unknown_type"),
    ],
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
