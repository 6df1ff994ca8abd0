"""A client books, moves and cancels a session in Chromium; the counselor sees it in the week."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client

from confide.matching.models import CareRelationship
from confide.scheduling.models import Booking
from tests.factories import make_user
from tests.scheduling.conftest import open_hours

pytestmark = pytest.mark.browser


def signed_in(new_context: Any, user: Any, base_url: str, **options: Any) -> Any:
    """A browser context carrying a session of ``user`` (sign-in itself is tested elsewhere)."""
    django_client = Client()
    django_client.force_login(user)
    context = new_context(**options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": django_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context.new_page()


@pytest.mark.promise("CARE-1")
@pytest.mark.promise("CARE-2")
def test_client_books_moves_and_cancels_and_counselor_sees_the_week(
    new_context: Any, asgi_server: Any
) -> None:
    counselor = make_user(
        "counselor", first_name="Carmen", last_name="Ruiz", passkey=True, language="en"
    )
    open_hours(counselor, "Europe/Madrid", notice_minutes=48 * 60)
    client = make_user("client", nickname="Ana", language="en", timezone="America/New_York")
    CareRelationship.objects.create(client=client, counselor=counselor)

    page = signed_in(new_context, client, asgi_server.url)
    page.goto("/schedule/book/")
    assert "America/New_York" in page.locator("main").inner_text()
    first = page.locator(".slot-list button").first
    first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # keyboard only
    page.get_by_role("heading", name="Session with Carmen Ruiz").wait_for()
    assert page.locator("#booking-status").inner_text().startswith("Confirmed")
    booking = Booking.objects.get()
    booked_at = booking.starts_at

    later = page.locator("section[aria-labelledby=move-heading] .slot-list button").nth(3)
    with page.expect_navigation():
        later.click()
    page.get_by_text("The session was moved.").wait_for()
    booking.refresh_from_db()
    assert booking.starts_at > booked_at and booking.rescheduled_by == client

    madrid = booking.starts_at.astimezone(ZoneInfo("Europe/Madrid"))
    monday = (madrid - timedelta(days=madrid.weekday())).date()
    desk = signed_in(new_context, counselor, asgi_server.url)
    desk.goto(f"/schedule/calendar/?week={monday.isoformat()}")
    entry = desk.locator(".week-day li", has_text="Ana")
    entry.wait_for()
    assert f"{madrid:%H:%M}" in entry.inner_text() and "Confirmed" in entry.inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Cancel this session").click()
    page.get_by_text("The session was cancelled.").wait_for()
    assert page.locator("#booking-status").inner_text().startswith("Cancelled")

    desk.reload()
    assert "Cancelled" in desk.locator(".week-day li", has_text="Ana").inner_text()
    desk.set_viewport_size({"width": 375, "height": 800})  # the week stacks on a phone
    widths = desk.locator(".week-day").evaluate_all("days => days.map(d => d.offsetWidth)")
    assert min(widths) > 300
