"""Session pages: the entry point, the room's Permissions-Policy, and no recording API (CARE-3)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "confide"
RECORDING_APIS = re.compile(
    r"MediaRecorder|captureStream|RecordRTC|ondataavailable|requestData|createMediaStreamDestination"
    r"|getDisplayMedia|showSaveFilePicker",
)


@pytest.mark.promise("CARE-3")
def test_client_code_contains_no_recording_api() -> None:
    scripts = [
        *STATIC.joinpath("sessions", "static").rglob("*.js"),
        *STATIC.joinpath("messaging", "static").rglob("*.js"),
    ]
    assert any(p.name == "room.js" for p in scripts)
    for script in scripts:
        found = RECORDING_APIS.findall(script.read_text(encoding="utf-8"))
        assert not found, f"{script.name} uses {found}"


@pytest.mark.promise("CARE-3")
def test_only_the_room_allows_camera_and_microphone(
    client: Any, booking: Any, client_user: Any
) -> None:
    client.force_login(client_user)
    room = client.get(reverse("therapy_sessions:room", args=[booking.pk]))
    assert room.status_code == 200
    assert "camera=(self)" in room["Permissions-Policy"]
    assert "microphone=(self)" in room["Permissions-Policy"]
    assert "display-capture=()" in room["Permissions-Policy"]
    for url in (reverse("therapy_sessions:index"), reverse("messaging:index"), "/"):
        other = client.get(url)
        assert "camera=()" in other["Permissions-Policy"], url
        assert "microphone=()" in other["Permissions-Policy"], url


@pytest.mark.promise("CARE-3")
def test_room_page_uses_peer_to_peer_only(client: Any, booking: Any, client_user: Any) -> None:
    client.force_login(client_user)
    html = client.get(reverse("therapy_sessions:room", args=[booking.pk])).content.decode()
    assert "/ws/sessions/" in html and "never recorded" in html
    assert 'aria-label="Call controls"' in html
    assert "<script>" not in html  # no inline scripts (strict CSP)


def test_your_sessions_shows_when_the_room_opens(
    client: Any, booking: Any, client_user: Any
) -> None:
    from confide.scheduling.models import Booking

    later = Booking.objects.create(
        client=client_user,
        counselor=booking.counselor,
        starts_at=booking.starts_at + timedelta(days=2),
        ends_at=booking.ends_at + timedelta(days=2),
    )
    client.force_login(client_user)
    html = client.get(reverse("therapy_sessions:index")).content.decode()
    assert reverse("therapy_sessions:room", args=[booking.pk]) in html
    assert reverse("therapy_sessions:room", args=[later.pk]) not in html
    assert "The room opens at" in html
    early = client.get(reverse("therapy_sessions:room", args=[later.pk]))
    assert early.status_code == 200 and b"The room opens at" in early.content


def test_strangers_get_403_for_the_room(client: Any, booking: Any, stranger: Any) -> None:
    client.force_login(stranger)
    assert client.get(reverse("therapy_sessions:room", args=[booking.pk])).status_code == 403


@pytest.mark.promise("CARE-3")
def test_a_room_not_open_yet_is_not_allowed_the_camera(
    client: Any, booking: Any, client_user: Any
) -> None:
    booking.starts_at = timezone.now() + timedelta(hours=3)
    booking.ends_at = booking.starts_at + timedelta(minutes=50)
    booking.save(update_fields=["starts_at", "ends_at"])
    client.force_login(client_user)
    page = client.get(reverse("therapy_sessions:room", args=[booking.pk]))
    assert page.status_code == 200 and "opens at" in page.content.decode()
    assert "camera=()" in page["Permissions-Policy"]
    assert "microphone=()" in page["Permissions-Policy"]
