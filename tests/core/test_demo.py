"""A newcomer's first `make run`: the demo data opens a video session now for the demo pair
(matched through the real rules), and the banner says, once, where to go and what each demo
account needs."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.utils import timezone

from confide.core.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_user
from confide.core.management.commands.serve import banner_lines

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def enrol_passkey(user: Any) -> None:
    """What the demo counselor does first at localhost (the room asks for a passkey)."""
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Key", "credential": {}}
    )


def test_seeding_opens_a_video_session_now_that_both_demo_people_may_enter() -> None:
    from confide.matching.models import CareRelationship
    from confide.sessions import services

    seed()
    client, counselor = demo_user("client"), demo_user("counselor")
    assert CareRelationship.objects.filter(
        client=client, counselor=counselor, ended_at__isnull=True
    ).exists()
    (booking,) = services.upcoming_for(client)
    assert booking.counselor == counselor and services.is_open(booking)
    assert services.enter_room(client, booking.pk) == booking
    enrol_passkey(counselor)
    assert services.enter_room(counselor, booking.pk) == booking


def test_seeding_again_keeps_the_open_session_and_opens_a_new_one_once_it_closed() -> None:
    from confide.scheduling.models import Booking

    seed()
    seed()
    assert Booking.objects.count() == 1
    past = timezone.now() - timedelta(hours=2)
    Booking.objects.update(starts_at=past, ends_at=past + timedelta(minutes=50))
    seed()
    assert Booking.objects.count() == 2


def test_seeding_prints_no_credentials_the_banner_lists_each_account_once() -> None:
    output = seed()
    assert DEMO_PASSWORD not in output
    banner = "\n".join(banner_lines("127.0.0.1", 8000, ["scheduler", "web"]))
    assert "http://localhost:8000/" in banner and "127.0.0.1" not in banner
    for _role, email, _password in DEMO_ACCOUNTS:
        assert banner.count(email) == 1, email
    assert banner.count(DEMO_PASSWORD) == 1
    lines = banner.splitlines()
    client_line = next(line for line in lines if "client@demo" in line)
    counselor_line = next(line for line in lines if "counselor@demo" in line)
    assert client_line.lstrip().startswith("Client") and "passkey" not in client_line
    assert counselor_line.lstrip().startswith("Counselor") and "enrol a passkey" in counselor_line
    assert "Passkeys work only at http://localhost:8000/" in banner
    assert "outbox/" in banner


def test_the_banner_names_the_open_demo_session_and_how_to_try_it() -> None:
    from confide.sessions import services

    seed()
    (booking,) = services.upcoming_for(demo_user("client"))
    banner = "\n".join(banner_lines("127.0.0.1", 8000, ["web"]))
    assert f"http://localhost:8000/sessions/{booking.pk}/" in banner
    assert "private" in banner and "window" in banner
