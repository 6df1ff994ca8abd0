"""Room window, session events (CARE-2), TURN REST credentials, recording consent gate."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from confide.audit.models import AuditEvent
from confide.sessions import services
from confide.sessions.models import SessionEvent

pytestmark = pytest.mark.django_db


def test_room_opens_a_few_minutes_before_and_closes_at_the_end(
    booking: Any, client_user: Any
) -> None:
    start, end = booking.starts_at, booking.ends_at
    assert not services.is_open(booking, start - timedelta(minutes=11))
    assert services.is_open(booking, start - timedelta(minutes=9))
    assert services.is_open(booking, end - timedelta(seconds=1))
    assert not services.is_open(booking, end)
    with pytest.raises(services.RoomClosed) as early:
        services.enter_room(client_user, booking.pk, now=start - timedelta(hours=1))
    assert early.value.too_early
    with pytest.raises(services.RoomClosed) as late:
        services.enter_room(client_user, booking.pk, now=end + timedelta(minutes=1))
    assert not late.value.too_early


@pytest.mark.promise("LOG-4")
def test_only_the_two_participants_enter(
    booking: Any, client_user: Any, counselor: Any, other_counselor: Any, stranger: Any
) -> None:
    assert services.enter_room(client_user, booking.pk) == booking
    assert services.enter_room(counselor, booking.pk) == booking
    assert AuditEvent.objects.filter(action="access.join_session", actor_id=counselor.pk).exists()
    for outsider in (other_counselor, stranger):
        with pytest.raises(PermissionDenied):
            services.enter_room(outsider, booking.pk)
    booking.status = "cancelled"
    booking.save()
    with pytest.raises(PermissionDenied):
        services.enter_room(client_user, booking.pk)


@pytest.mark.promise("CARE-2")
def test_join_start_leave_end_are_recorded(booking: Any, client_user: Any, counselor: Any) -> None:
    assert services.record_join(client_user, booking) is False
    assert services.record_join(counselor, booking) is True
    services.record_leave(client_user, booking)
    assert services.record_join(client_user, booking) is True  # a reconnect: no second start
    services.record_leave(client_user, booking)
    services.record_leave(counselor, booking)
    kinds = [(e.kind, e.user_id) for e in services.timeline(booking)]
    assert kinds == [
        ("join", client_user.pk),
        ("join", counselor.pk),
        ("start", None),
        ("leave", client_user.pk),
        ("join", client_user.pk),
        ("leave", client_user.pk),
        ("leave", counselor.pk),
        ("end", None),
    ]


@pytest.mark.promise("CARE-2")
def test_no_start_or_end_when_only_one_person_came(booking: Any, client_user: Any) -> None:
    services.record_join(client_user, booking)
    services.record_leave(client_user, booking)
    assert not SessionEvent.objects.filter(kind__in=["start", "end"]).exists()


def test_turn_rest_credentials(booking: Any, client_user: Any, settings: Any) -> None:
    settings.STUN_URLS = ["stun:turn.example.test:3478"]
    settings.TURN_URLS = ["turn:turn.example.test:3478?transport=udp"]
    settings.TURN_SHARED_SECRET = "s3cret"
    stun, turn = services.ice_servers(client_user, booking)
    assert stun == {"urls": ["stun:turn.example.test:3478"]}
    expiry, user_id = turn["username"].split(":")
    assert user_id == str(client_user.pk)
    assert int(expiry) > timezone.now().timestamp()
    assert int(expiry) <= (booking.ends_at + timedelta(minutes=31)).timestamp()
    expected = base64.b64encode(
        hmac.new(b"s3cret", turn["username"].encode(), hashlib.sha1).digest()
    ).decode()
    assert turn["credential"] == expected


def test_no_turn_without_a_secret(booking: Any, client_user: Any, settings: Any) -> None:
    settings.STUN_URLS, settings.TURN_URLS, settings.TURN_SHARED_SECRET = [], ["turn:x"], None
    assert services.ice_servers(client_user, booking) == []


@pytest.mark.promise("CARE-3")
def test_recording_gate_needs_both_and_one_refusal_wins(
    booking: Any, client_user: Any, counselor: Any, monkeypatch: Any
) -> None:
    from confide import presets

    with pytest.raises(PermissionDenied):  # default presets: recording is not allowed at all
        services.answer_recording(client_user, booking, consent=True)
    allowing = replace(presets.current_preset(), recording_allowed=True)
    monkeypatch.setattr(services, "current_preset", lambda: allowing)
    state = services.answer_recording(client_user, booking, consent=True)
    assert not state.both_consented
    state = services.answer_recording(counselor, booking, consent=True)
    assert state.both_consented
    state = services.answer_recording(counselor, booking, consent=False)
    assert state.refused and not state.both_consented
    assert SessionEvent.objects.filter(kind="recording_refused", user=counselor).exists()
    assert AuditEvent.objects.filter(action="sessions.recording_refused").exists()


@pytest.mark.promise("CARE-2")
def test_the_end_is_recorded_when_the_slot_is_over_with_someone_still_in(
    booking: Any, client_user: Any, counselor: Any
) -> None:
    from confide.sessions.tasks import close_finished_rooms

    services.record_join(client_user, booking)
    services.record_join(counselor, booking)
    assert close_finished_rooms() == 0  # still within the slot
    booking.ends_at = timezone.now() - timedelta(seconds=1)
    booking.save()
    assert close_finished_rooms() == 1
    assert close_finished_rooms() == 0
    assert SessionEvent.objects.filter(booking=booking, kind="end").count() == 1
