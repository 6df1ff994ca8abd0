"""RFC 5545 invites and feeds, built with the ``icalendar`` package.

One booking is one VEVENT whose UID never changes; every change raises SEQUENCE (services), so
calendar clients replace the event on METHOD:REQUEST and drop it on METHOD:CANCEL (RFC 5546).
Times are written in UTC. Nothing but the other person's display name may appear, and in feeds
not even that unless the user opted in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, vCalAddress

from confide.scheduling.models import Booking

PRODID = "-//Confide//Scheduling//EN"


def uid(booking: Booking) -> str:
    return f"{booking.id}@confide"


def _status(booking: Booking) -> str:
    if booking.status == Booking.Status.REQUESTED:
        return "TENTATIVE"
    if booking.status in (Booking.Status.CANCELLED, Booking.Status.DECLINED):
        return "CANCELLED"
    return "CONFIRMED"


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _event(booking: Booking, summary: str) -> Event:
    event = Event()
    event.add("uid", uid(booking))
    event.add("dtstamp", dj_timezone.now())
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add("sequence", booking.sequence)
    event.add("status", _status(booking))
    event.add("summary", summary)
    event.add("transp", "OPAQUE")
    link = settings.SITE_URL + reverse("scheduling:booking", args=[booking.id])
    event.add("url", link)
    event.add("description", link)
    return event


def other_party(booking: Booking, viewer: Any) -> Any:
    return booking.counselor if viewer.pk == booking.client_id else booking.client


def invite(booking: Booking, recipient: Any, method: str) -> bytes:
    """METHOD:REQUEST (new or changed) or METHOD:CANCEL for one attendee. Call inside the
    recipient's language."""
    calendar = _calendar(method)
    summary = gettext("Counseling session with %(name)s") % {
        "name": other_party(booking, recipient).display_name
    }
    event = _event(booking, summary)
    organizer = vCalAddress(f"mailto:{_from_address()}")
    organizer.params["cn"] = "Confide"
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{recipient.email}")
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "ACCEPTED"
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def feed(user: Any, bookings: list[Booking], details: bool) -> bytes:
    """The private feed: "Counseling session" only, unless the user asked for names."""
    calendar = _calendar(None)
    calendar.add("x-wr-calname", "Confide")
    for booking in bookings:
        if details:
            summary = gettext("Counseling session with %(name)s") % {
                "name": other_party(booking, user).display_name
            }
        else:
            summary = gettext("Counseling session")
        calendar.add_component(_event(booking, summary))
    return calendar.to_ical()


def _from_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@confide.localhost"
