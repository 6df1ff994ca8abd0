"""Video-session services: who may enter a room and when, what the room records (CARE-2:
join, leave, start, end — never media or content), and short-lived TURN credentials.

Media flows peer to peer (WebRTC); this server only relays signaling (offer, answer, ICE) between
the two participants' sockets, so nothing we run could record a session (CARE-3).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from confide.audit import services as audit
from confide.presets import current_preset
from confide.privacy.access import Action, can_access_client, require_client_access
from confide.scheduling.models import Booking
from confide.sessions.models import SessionEvent

#: The room opens this long before the booked start, and closes at the end of the slot.
OPENS_BEFORE = timedelta(minutes=10)
#: TURN credentials outlive the slot by this much, then the TURN server refuses them.
TURN_GRACE = timedelta(minutes=30)
ROOM_STATUSES = (Booking.Status.CONFIRMED,)


class RoomClosed(Exception):
    """The booking exists and is yours, but the room is not open now."""

    def __init__(self, booking: Booking, *, too_early: bool) -> None:
        super().__init__("room closed")
        self.booking = booking
        self.too_early = too_early


def opens_at(booking: Booking) -> datetime:
    return booking.starts_at - OPENS_BEFORE


def is_open(booking: Booking, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return opens_at(booking) <= now < booking.ends_at


def upcoming_for(user: Any) -> QuerySet[Booking]:
    """The user's confirmed sessions whose room has not closed yet, soonest first."""
    return (
        Booking.objects.filter(Q(client=user) | Q(counselor=user))
        .filter(status__in=ROOM_STATUSES, ends_at__gt=timezone.now())
        .select_related("client", "counselor")
        .order_by("starts_at")
    )


def other_participant_id(booking: Booking, user_id: int) -> int:
    return booking.counselor_id if user_id == booking.client_id else booking.client_id


def load_booking(actor: Any, booking_id: UUID | str) -> Booking:
    """The booking if ``actor`` is one of its two participants, else PermissionDenied."""
    try:
        booking = Booking.objects.select_related("client", "counselor").get(pk=booking_id)
    except (Booking.DoesNotExist, ValidationError, ValueError):
        raise PermissionDenied from None
    if actor.pk not in (booking.client_id, booking.counselor_id):
        raise PermissionDenied
    if booking.status not in ROOM_STATUSES:
        raise PermissionDenied
    return booking


def enter_room(actor: Any, booking_id: UUID | str, *, now: datetime | None = None) -> Booking:
    """Authorize ``actor`` into the room now (access policy, audited for the counselor);
    raise PermissionDenied or RoomClosed."""
    booking = load_booking(actor, booking_id)
    require_client_access(actor, booking.client_id, Action.JOIN_SESSION, target=booking)
    if not is_open(booking, now):
        raise RoomClosed(booking, too_early=(now or timezone.now()) < booking.starts_at)
    return booking


def still_allowed(actor: Any, booking: Booking) -> bool:
    """Cheap re-check for every signaling frame: access still granted, room still open."""
    actor.refresh_from_db(fields=["blocked_at", "role", "is_active"])
    return (
        actor.is_active
        and can_access_client(actor, booking.client_id, Action.JOIN_SESSION)
        and is_open(booking)
    )


# --- Session events (CARE-2) --------------------------------------------------------------------
def _present(booking: Booking) -> set[int]:
    """Participants with more joins than leaves (a person may have several tabs)."""
    balance: dict[int, int] = {}
    for user_id, kind in booking.session_events.filter(
        kind__in=[SessionEvent.Kind.JOIN, SessionEvent.Kind.LEAVE]
    ).values_list("user_id", "kind"):
        if user_id is not None:
            balance[user_id] = balance.get(user_id, 0) + (
                1 if kind == SessionEvent.Kind.JOIN else -1
            )
    return {user_id for user_id, count in balance.items() if count > 0}


def _has(booking: Booking, kind: str) -> bool:
    return booking.session_events.filter(kind=kind).exists()


def record_join(user: Any, booking: Booking) -> bool:
    """Record a join; record the start when both participants are present for the first time.
    Returns whether the other participant is present."""
    with transaction.atomic():
        Booking.objects.select_for_update().filter(pk=booking.pk).first()  # serialize the room
        SessionEvent.objects.create(booking=booking, user=user, kind=SessionEvent.Kind.JOIN)
        present = _present(booking)
        both = {booking.client_id, booking.counselor_id} <= present
        if both and not _has(booking, SessionEvent.Kind.START):
            SessionEvent.objects.create(booking=booking, kind=SessionEvent.Kind.START)
    return other_participant_id(booking, user.pk) in present


def record_leave(user: Any, booking: Booking) -> None:
    """Record a leave; record the end when the session had started and nobody is left."""
    with transaction.atomic():
        Booking.objects.select_for_update().filter(pk=booking.pk).first()
        SessionEvent.objects.create(booking=booking, user=user, kind=SessionEvent.Kind.LEAVE)
        if (
            not _present(booking)
            and _has(booking, SessionEvent.Kind.START)
            and not _has(booking, SessionEvent.Kind.END)
        ):
            SessionEvent.objects.create(booking=booking, kind=SessionEvent.Kind.END)


def close_finished_rooms(now: datetime | None = None) -> int:
    """Record the end of sessions whose slot is over while someone was still connected (a tab
    left open, a lost connection). Returns how many were closed."""
    now = now or timezone.now()
    started = SessionEvent.objects.filter(kind=SessionEvent.Kind.START).values("booking_id")
    ended = SessionEvent.objects.filter(kind=SessionEvent.Kind.END).values("booking_id")
    finished = Booking.objects.filter(pk__in=started, ends_at__lte=now).exclude(pk__in=ended)
    count = 0
    for booking in finished:
        with transaction.atomic():
            Booking.objects.select_for_update().filter(pk=booking.pk).first()
            if not _has(booking, SessionEvent.Kind.END):
                SessionEvent.objects.create(booking=booking, kind=SessionEvent.Kind.END)
                count += 1
    return count


def timeline(booking: Booking) -> list[SessionEvent]:
    return list(booking.session_events.select_related("user").order_by("at"))


# --- Recording consent gate (CARE-3) ------------------------------------------------------------
@dataclass(frozen=True)
class RecordingState:
    allowed: bool  # the preset lets organizations record at all
    consented: frozenset[int]
    refused: bool

    @property
    def both_consented(self) -> bool:
        return len(self.consented) == 2 and not self.refused


def recording_state(booking: Booking) -> RecordingState:
    if not current_preset().recording_allowed:
        return RecordingState(False, frozenset(), False)
    kinds = booking.session_events.filter(
        kind__in=[SessionEvent.Kind.RECORDING_CONSENT, SessionEvent.Kind.RECORDING_REFUSED]
    ).values_list("user_id", "kind")
    consented = frozenset(u for u, k in kinds if k == SessionEvent.Kind.RECORDING_CONSENT and u)
    refused = any(k == SessionEvent.Kind.RECORDING_REFUSED for _u, k in kinds)
    return RecordingState(True, consented, refused)


def answer_recording(actor: Any, booking: Booking, *, consent: bool) -> RecordingState:
    """Record one participant's yes or no. A single refusal means no recording for the
    session. Recording itself is not built yet: even with both yeses nothing is recorded."""
    if not current_preset().recording_allowed:
        raise PermissionDenied
    kind = SessionEvent.Kind.RECORDING_CONSENT if consent else SessionEvent.Kind.RECORDING_REFUSED
    with transaction.atomic():
        SessionEvent.objects.create(booking=booking, user=actor, kind=kind)
        audit.record(
            f"sessions.recording_{'consent' if consent else 'refused'}",
            actor=actor,
            subject_id=booking.client_id,
            target=booking,
        )
    return recording_state(booking)


# --- STUN/TURN ----------------------------------------------------------------------------------
def turn_credentials(user_id: int, expires: datetime, secret: str) -> tuple[str, str]:
    """TURN REST API credentials (coturn ``use-auth-secret``): username ``expiry:userid``,
    password base64(HMAC-SHA1(secret, username))."""
    username = f"{int(expires.timestamp())}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers(user: Any, booking: Booking) -> list[dict[str, Any]]:
    """The RTCPeerConnection ``iceServers`` for this participant and session."""
    servers: list[dict[str, Any]] = []
    if settings.STUN_URLS:
        servers.append({"urls": list(settings.STUN_URLS)})
    if settings.TURN_URLS and settings.TURN_SHARED_SECRET:
        expires = max(booking.ends_at, timezone.now()) + TURN_GRACE
        username, credential = turn_credentials(user.pk, expires, settings.TURN_SHARED_SECRET)
        servers.append(
            {"urls": list(settings.TURN_URLS), "username": username, "credential": credential}
        )
    return servers
