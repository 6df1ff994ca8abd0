"""Restriction (RIGHTS-4) in video: a session already booked may still take place when the
client joins it (their consent, stated on the privacy centre); no new one can be booked."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from confide.privacy.services import set_restriction
from confide.sessions import services

pytestmark = pytest.mark.django_db


@pytest.mark.promise("RIGHTS-4")
def test_a_restricted_client_may_join_a_booked_session_and_the_centre_says_so(
    client: Any, booking: Any, client_user: Any
) -> None:
    set_restriction(client_user, True)
    assert services.enter_room(client_user, booking.pk) == booking
    client.force_login(client_user)
    html = client.get(reverse("privacy:centre")).content.decode()
    assert "the sessions you already booked when you join them" in html
    assert "no session reminders" in html
