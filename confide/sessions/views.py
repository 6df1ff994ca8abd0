"""Video-session pages: "your sessions" and the room (waiting room with device check, then the
call). Only the room view may use the camera and microphone (``allow_media``)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from confide.core.middleware import allow_media
from confide.privacy.access import roles
from confide.sessions import services

PARTICIPANTS = ("client", "counselor")


@roles(*PARTICIPANTS)
def index(request: HttpRequest) -> HttpResponse:
    bookings = list(services.upcoming_for(request.user))
    rows = [
        {
            "booking": booking,
            "opens_at": services.opens_at(booking),
            "open": services.is_open(booking),
            "other": booking.counselor if request.user.pk == booking.client_id else booking.client,
        }
        for booking in bookings
    ]
    return render(request, "sessions/index.html", {"rows": rows})


def _chat_url(request: HttpRequest, booking: object) -> str | None:
    from confide.messaging.models import Conversation

    convo = Conversation.objects.filter(
        client_id=booking.client_id,  # type: ignore[attr-defined]
        counselor_id=booking.counselor_id,  # type: ignore[attr-defined]
        care__ended_at__isnull=True,
    ).first()
    return (
        reverse("messaging:conversation", args=[convo.pk]) if convo else reverse("messaging:index")
    )


@allow_media
@roles(*PARTICIPANTS)
def room(request: HttpRequest, booking_id: UUID) -> HttpResponse:
    try:
        booking = services.enter_room(request.user, booking_id)
    except services.RoomClosed as closed:
        # Not open (yet or any more): this page must not be allowed the camera or microphone,
        # so nothing on it can prompt for them before the person chooses to join.
        request.permissions_policy_allow = frozenset()  # type: ignore[attr-defined]
        return render(
            request,
            "sessions/closed.html",
            {
                "booking": closed.booking,
                "opens_at": services.opens_at(closed.booking),
                "too_early": closed.too_early,
            },
            status=403 if not closed.too_early else 200,
        )
    other = booking.counselor if request.user.pk == booking.client_id else booking.client
    return render(
        request,
        "sessions/room.html",
        {
            "booking": booking,
            "other": other,
            "chat_url": _chat_url(request, booking),
            "recording": services.recording_state(booking),
        },
    )


@roles(*PARTICIPANTS)
@require_POST
def recording(request: HttpRequest, booking_id: UUID) -> HttpResponse:
    """The consent gate: each participant answers; one "no" means no recording."""
    try:
        booking = services.enter_room(request.user, booking_id)
    except services.RoomClosed:
        raise PermissionDenied from None
    consent = request.POST.get("answer") == "yes"
    services.answer_recording(request.user, booking, consent=consent)
    flash.info(request, _("Your answer about recording was saved."))
    return HttpResponseRedirect(reverse("therapy_sessions:room", args=[booking.pk]))
