"""iCalendar invites and the private feed, judged by the icalendar parser."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from icalendar import Calendar

from confide.scheduling import notify, services
from tests.scheduling.conftest import open_hours, utc

SLOT = utc(2030, 3, 31, 8)  # 10:00 in Madrid, the day after the spring change


@pytest.fixture(autouse=True)
def _clock(time_machine: Any) -> None:
    time_machine.move_to(utc(2030, 3, 20, 8), tick=False)


def invites() -> list[Calendar]:
    return [
        Calendar.from_ical(content)
        for message in mail.outbox
        for _name, content, _mime in message.attachments
    ]


def event_of(calendar: Calendar) -> Any:
    (event,) = calendar.walk("VEVENT")
    return event


@pytest.mark.promise("CARE-1")
def test_invites_carry_uid_sequence_method_and_utc_times(
    care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor)
    booking = services.book(client_user, SLOT)
    notify.send_due()
    first = invites()
    assert len(first) == 2 and all(c["METHOD"] == "REQUEST" for c in first)
    event = event_of(first[0])
    assert str(event["UID"]) == f"{booking.id}@confide"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == SLOT and event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == SLOT + timedelta(minutes=50)
    assert b"DTSTART:20300331T080000Z" in first[0].to_ical()
    assert str(event["ORGANIZER"]).startswith("mailto:")

    mail.outbox.clear()
    services.reschedule(client_user, booking, SLOT + timedelta(hours=2))
    notify.send_due()
    moved = event_of(invites()[0])
    assert str(moved["UID"]) == f"{booking.id}@confide" and moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART") == SLOT + timedelta(hours=2)

    mail.outbox.clear()
    services.cancel(client_user, booking)
    notify.send_due()
    cancelled = invites()[0]
    assert cancelled["METHOD"] == "CANCEL"
    assert event_of(cancelled)["SEQUENCE"] == 2 and event_of(cancelled)["STATUS"] == "CANCELLED"


def test_the_invite_summary_names_only_the_other_person(
    care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor)
    services.book(client_user, SLOT)
    client_user.language, counselor.language = "es", "en"
    client_user.save()
    counselor.save()
    notify.send_due()
    summaries = {
        message.to[0]: str(event_of(Calendar.from_ical(message.attachments[0][1]))["SUMMARY"])
        for message in mail.outbox
    }
    assert summaries[client_user.email] == "Sesión de terapia con Carmen Ruiz"
    assert summaries[counselor.email] == "Counseling session with Ana"


def test_the_private_feed_shows_only_counseling_session_unless_opted_in(
    client: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor)
    services.book(client_user, SLOT)
    token = services.enable_feed(client_user, details=False)
    response = client.get(f"/schedule/feed/{token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    feed = Calendar.from_ical(response.content)
    assert "METHOD" not in feed
    event = event_of(feed)
    assert str(event["SUMMARY"]) == "Counseling session"
    assert event.decoded("DTSTART") == SLOT
    assert b"Carmen" not in response.content and client_user.email.encode() not in response.content

    token = services.enable_feed(client_user, details=True)
    named = event_of(Calendar.from_ical(client.get(f"/schedule/feed/{token}.ics").content))
    assert "Carmen Ruiz" in str(named["SUMMARY"])


def test_a_revoked_or_replaced_feed_address_stops_working(client: Any, client_user: Any) -> None:
    old = services.enable_feed(client_user, details=False)
    new = services.enable_feed(client_user, details=False)
    assert client.get(f"/schedule/feed/{old}.ics").status_code == 404
    assert client.get(f"/schedule/feed/{new}.ics").status_code == 200
    services.disable_feed(client_user)
    assert client.get(f"/schedule/feed/{new}.ics").status_code == 404
    assert client.get("/schedule/feed/guess.ics").status_code == 404
