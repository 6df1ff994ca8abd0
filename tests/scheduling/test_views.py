"""Scheduling pages through the test client: who may open what, and the booking flow."""

from __future__ import annotations

from typing import Any

import pytest

from confide.audit.models import AuditEvent
from confide.scheduling import services
from confide.scheduling.models import Booking, DateException, WeeklyHours
from tests.factories import make_user
from tests.scheduling.conftest import open_hours, utc

SLOT = utc(2030, 1, 9, 9)


@pytest.fixture(autouse=True)
def _clock(time_machine: Any) -> None:
    time_machine.move_to(utc(2030, 1, 7, 7), tick=False)


@pytest.mark.promise("CARE-1")
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Book a session"),
        ("es", "Reservar una sesión"),
        ("sv", "Boka en session"),
        ("sq", "Rezervo një seancë"),
    ],
)
def test_the_booking_page_groups_slots_by_day_in_the_clients_zone(
    client: Any, care: Any, counselor: Any, client_user: Any, language: str, heading: str
) -> None:
    open_hours(counselor, "Europe/Madrid")
    client_user.timezone, client_user.language = "America/New_York", language
    client_user.save()
    client.force_login(client_user)
    page = client.get("/schedule/book/").content.decode()
    assert heading in page
    assert "America/New_York" in page
    assert 'value="2030-01-09T09:00:00+00:00"' in page
    assert ">04:00<" in page  # 10:00 in Madrid is 04:00 in New York


def test_booking_through_the_page(client: Any, care: Any, counselor: Any, client_user: Any) -> None:
    open_hours(counselor)
    client.force_login(client_user)
    response = client.post("/schedule/book/", {"starts_at": SLOT.isoformat()})
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/schedule/b/{booking.id}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Carmen Ruiz" in detail and "Wednesday" in detail and "(Europe/Madrid, CET)" in detail


def test_the_losing_request_gets_fresh_alternatives(
    client: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor)
    services.book(client_user, SLOT)
    rival = make_user("client")
    from confide.matching.models import CareRelationship

    CareRelationship.objects.create(client=rival, counselor=counselor)
    client.force_login(rival)
    response = client.post("/schedule/book/", {"starts_at": SLOT.isoformat()})
    page = response.content.decode()
    assert response.status_code == 409
    assert "That time was just taken" in page
    assert 'value="2030-01-09T10:00:00+00:00"' in page
    assert 'value="2030-01-09T09:00:00+00:00"' not in page


def test_garbage_times_are_refused_politely(client: Any, care: Any, client_user: Any) -> None:
    client.force_login(client_user)
    assert client.post("/schedule/book/", {"starts_at": "tomorrow"}).status_code == 400
    assert client.post("/schedule/book/", {"starts_at": "2030-01-09T09:00"}).status_code == 400
    assert not Booking.objects.exists()


def test_reschedule_and_cancel_through_the_pages(
    client: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor)
    booking = services.book(client_user, SLOT)
    client.force_login(client_user)
    later = SLOT.replace(hour=12)
    client.post(f"/schedule/b/{booking.id}/reschedule/", {"starts_at": later.isoformat()})
    booking.refresh_from_db()
    assert booking.starts_at == later
    client.post(f"/schedule/b/{booking.id}/cancel/", {"reason": "ignored for clients"})
    booking.refresh_from_db()
    assert booking.status == "cancelled" and not booking.cancel_reason


@pytest.mark.promise("CARE-2")
def test_the_counselor_week_view_and_cancel_reason(
    client: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor)
    booking = services.book(client_user, SLOT)
    client.force_login(counselor)
    week = client.get("/schedule/calendar/?week=2030-01-07").content.decode()
    assert "Ana" in week and "10:00–10:50" in week
    assert AuditEvent.objects.filter(action="access.schedule", actor_id=counselor.pk).exists()
    client.post(f"/schedule/b/{booking.id}/cancel/", {"reason": "I have to travel."})
    client.force_login(client_user)
    detail = client.get(f"/schedule/b/{booking.id}/").content.decode()
    assert "I have to travel." in detail and "Cancelled" in detail


def test_counselors_set_hours_and_exceptions(client: Any, counselor: Any) -> None:
    client.force_login(counselor)
    assert client.get("/schedule/availability/").status_code == 200
    data = {
        "timezone": "Europe/Tirane",
        "session_minutes": 45,
        "buffer_minutes": 15,
        "min_notice_hours": 24,
        "horizon_days": 30,
        "start_0": "08:00",
        "end_0": "12:00",
        "start_2": "14:00",
        "end_2": "18:00",
    }
    assert client.post("/schedule/availability/", data).status_code == 302
    rows = list(WeeklyHours.objects.filter(counselor=counselor).values_list("weekday", "timezone"))
    assert rows == [(0, "Europe/Tirane"), (2, "Europe/Tirane")]
    bad = client.post("/schedule/availability/", {**data, "end_0": "07:00"})
    assert bad.status_code == 400
    client.post("/schedule/availability/exceptions/", {"date": "2030-01-14", "kind": "off"})
    assert DateException.objects.get().timezone == "Europe/Tirane"
    client.post("/schedule/availability/exceptions/", {"date": "2030-01-15", "kind": "extra"})
    assert DateException.objects.count() == 1  # extra hours need times


def test_who_may_open_what(
    client: Any, care: Any, counselor: Any, client_user: Any, stranger: Any, staff_user: Any
) -> None:
    open_hours(counselor)
    booking = services.book(client_user, SLOT)
    client.force_login(stranger)
    assert client.get(f"/schedule/b/{booking.id}/").status_code == 403
    assert client.get("/schedule/calendar/").status_code == 403
    client.force_login(staff_user)
    assert client.get("/schedule/").status_code == 403
    client.logout()
    assert client.get("/schedule/").status_code == 302


def test_reminder_settings_and_feed_page(client: Any, client_user: Any) -> None:
    client.force_login(client_user)
    client.post("/schedule/settings/", {"action": "reminders", "reminders": ["60"], "sms": ""})
    assert services.calendar_settings(client_user).reminder_minutes == [60]
    page = client.post("/schedule/settings/", {"action": "feed_on"}).content.decode()
    assert "/schedule/feed/" in page
    client.post("/schedule/settings/", {"action": "feed_off"})
    assert services.calendar_settings(client_user).feed_token_hash is None


def test_nav_links_are_registered(client: Any, counselor: Any) -> None:
    client.force_login(counselor)
    page = client.get("/dashboard/").content.decode()
    assert "/schedule/" in page and "/schedule/calendar/" in page


def test_the_counselor_answers_requests_through_the_page(
    client: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor, approval=True)
    first = services.book(client_user, SLOT)
    client.force_login(counselor)
    assert "Confirm this request" in client.get(f"/schedule/b/{first.id}/").content.decode()
    client.post(f"/schedule/b/{first.id}/approve/")
    first.refresh_from_db()
    assert first.status == "confirmed"
    second = services.book(client_user, SLOT.replace(hour=12))
    client.post(f"/schedule/b/{second.id}/decline/", {"reason": "Fully booked that day."})
    second.refresh_from_db()
    assert second.status == "declined" and second.cancel_reason == "Fully booked that day."
    client.force_login(client_user)
    assert "Fully booked that day." in client.get(f"/schedule/b/{second.id}/").content.decode()


def test_removing_someone_elses_exception_answers_404_and_keeps_it(
    client: Any, counselor: Any, other_counselor: Any
) -> None:
    theirs = services.add_exception(other_counselor, utc(2030, 1, 14).date(), "off", None, None)
    client.force_login(counselor)
    response = client.post(f"/schedule/availability/exceptions/{theirs.pk}/delete/")
    assert response.status_code == 404
    assert DateException.objects.filter(pk=theirs.pk).exists()
    assert not AuditEvent.objects.filter(action="scheduling.exception_removed").exists()


def test_counselors_remove_their_own_exception(client: Any, counselor: Any) -> None:
    mine = services.add_exception(counselor, utc(2030, 1, 14).date(), "off", None, None)
    client.force_login(counselor)
    response = client.post(f"/schedule/availability/exceptions/{mine.pk}/delete/")
    assert response.status_code == 302
    assert not DateException.objects.filter(pk=mine.pk).exists()
    assert AuditEvent.objects.filter(action="scheduling.exception_removed").exists()
