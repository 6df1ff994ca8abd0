"""Every page, e-mail and live frame that shows a time shows it in the viewer's zone, named.

Each test puts a known event at 09:17 UTC, renders what a person in a far zone sees (Kiritimati,
UTC+14, and Los Angeles, UTC-8) and fails if the UTC wall-clock time shows or the zone is not
named. 09:17 is nowhere else on these pages, so its presence can only be the event in UTC.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from confide.core import times

pytestmark = pytest.mark.django_db

KNOWN = datetime(2030, 1, 9, 9, 17, tzinfo=UTC)
UTC_CLOCK = "09:17"
#: zone -> the event's local wall-clock time there
FAR = {"Pacific/Kiritimati": "23:17", "America/Los_Angeles": "01:17"}


@pytest.fixture(params=sorted(FAR))
def far(request: Any) -> str:
    return str(request.param)


def assert_shown_locally(text: str, zone: str, local: str | None = None) -> None:
    assert UTC_CLOCK not in text, "the event's UTC wall-clock time is shown"
    assert (local or FAR[zone]) in text, "the event's local time is missing"
    assert zone in text, "the zone is not named"


def in_zone(user: Any, zone: str, language: str = "en") -> Any:
    user.timezone, user.language = zone, language
    user.save(update_fields=["timezone", "language"])
    return user


def make_booking(client_user: Any, counselor: Any, starts_at: datetime = KNOWN) -> Any:
    from confide.scheduling.models import Booking

    return Booking.objects.create(
        client=client_user,
        counselor=counselor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=50),
    )


# --- The helper ----------------------------------------------------------------------------------
def test_each_style_shows_the_moment_in_the_given_zone() -> None:
    tz = ZoneInfo("Pacific/Kiritimati")
    assert times.when(KNOWN, tz=tz) == "Wednesday Jan. 9, 2030 at 23:17 (Pacific/Kiritimati)"
    assert times.when(KNOWN, "short", tz=tz) == "Wed 9 Jan 2030, 23:17 (Pacific/Kiritimati)"
    assert times.when(KNOWN, "clock", tz=tz) == "23:17"
    assert times.when(KNOWN + timedelta(hours=1), "date", tz=tz) == "Thursday Jan. 10, 2030"
    assert times.when(KNOWN.isoformat(), "clock", tz=tz) == "23:17"  # as kept in JSON
    assert times.when(date(2030, 1, 9), "date", tz=tz) == "Wednesday Jan. 9, 2030"
    assert times.when(None) == ""


def test_the_phrase_follows_the_active_language() -> None:
    with translation.override("es"):
        text = times.when(KNOWN, tz=ZoneInfo("America/Los_Angeles"))
    assert text == "Miércoles 9 de enero de 2030 a las 01:17 (America/Los_Angeles, PST)"


def test_without_a_choice_the_preset_zone_applies(client_user: Any) -> None:
    from confide.presets import current_preset

    assert times.user_zone(client_user).key == current_preset().default_timezone


def test_a_counselor_without_a_choice_lives_where_their_hours_are(counselor: Any) -> None:
    from confide.scheduling.models import Availability

    Availability.objects.create(counselor=counselor, timezone="Pacific/Kiritimati")
    assert times.user_zone(counselor).key == "Pacific/Kiritimati"


# --- Pages ---------------------------------------------------------------------------------------
def test_the_sessions_pages_show_the_viewers_zone(
    client: Any, care: Any, client_user: Any, counselor: Any, far: str
) -> None:
    booking = make_booking(client_user, counselor)
    client.force_login(in_zone(client_user, far))
    for url in (reverse("scheduling:sessions"), reverse("scheduling:booking", args=[booking.pk])):
        assert_shown_locally(client.get(url).content.decode(), far)
    # The video list and the closed room say when the room opens (10 minutes before, 09:07 UTC).
    opens = (KNOWN - timedelta(minutes=10)).astimezone(ZoneInfo(far)).strftime("%H:%M")
    for url in (
        reverse("therapy_sessions:index"),
        reverse("therapy_sessions:room", args=[booking.pk]),
    ):
        page = client.get(url).content.decode()
        assert "09:07" not in page
        assert f"at {opens}" in page and far in page


def test_the_sessions_page_speaks_the_viewers_language(
    client: Any, care: Any, client_user: Any, counselor: Any
) -> None:
    make_booking(client_user, counselor)
    client.force_login(in_zone(client_user, "Pacific/Kiritimati", "es"))
    page = client.get(reverse("therapy_sessions:index")).content.decode()
    assert "miércoles 9 de enero de 2030 a las 23:17 (Pacific/Kiritimati)".lower() in page.lower()


def test_the_counselor_calendar_shows_their_zone(
    client: Any, care: Any, client_user: Any, counselor: Any, far: str
) -> None:
    make_booking(client_user, counselor)
    client.force_login(in_zone(counselor, far))
    page = client.get(reverse("scheduling:calendar") + "?week=2030-01-09").content.decode()
    assert_shown_locally(page, far)


def test_chat_times_are_in_the_viewers_zone(
    client: Any, care: Any, client_user: Any, far: str
) -> None:
    from confide.messaging.services import conversation_for_care, send_message

    conversation = conversation_for_care(care)
    with time_machine.travel(KNOWN, tick=False):
        send_message(care.counselor, conversation, "Hello")
    client.force_login(in_zone(client_user, far))
    for name in ("messaging:conversation", "messaging:latest"):
        page = client.get(reverse(name, args=[conversation.pk]), headers={"HX-Request": "true"})
        assert_shown_locally(page.content.decode(), far)


@pytest.mark.django_db(transaction=True)
def test_a_live_chat_message_is_worded_for_each_viewer(care: Any, client_user: Any) -> None:
    from channels.routing import URLRouter

    from confide.core.events import asend_event
    from confide.messaging.routing import websocket_urlpatterns
    from confide.messaging.services import conversation_for_care
    from tests.messaging.ws import SignedInCommunicator

    conversation = conversation_for_care(care)
    in_zone(client_user, "Pacific/Kiritimati", "es")

    async def scenario() -> dict[str, Any]:
        comm = SignedInCommunicator(
            URLRouter(websocket_urlpatterns), f"/ws/messages/{conversation.pk}/"
        )
        comm.scope["user"] = client_user
        connected, _ = await comm.connect()
        assert connected
        event = {
            "type": "message.new",
            "conversation": str(conversation.pk),
            "id": "m1",
            "created_at": KNOWN.isoformat(),
        }
        await asend_event(event, [client_user.pk])
        frame: dict[str, Any] = json.loads(await comm.receive_from(timeout=10))
        await comm.disconnect()
        return frame

    frame = async_to_sync(scenario)()
    assert frame["created_at_text"] == "mié 9 ene 2030, 23:17 (Pacific/Kiritimati)"


def test_the_access_log_and_sign_ins_are_in_the_viewers_zone(
    client: Any, care: Any, client_user: Any, far: str
) -> None:
    from confide.accounts.models import SignInRecord
    from confide.privacy.access import Action, require_client_access

    with time_machine.travel(KNOWN, tick=False):
        require_client_access(care.counselor, client_user.pk, Action.VIEW_CLINICAL)
    SignInRecord.objects.create(user=client_user, event="login", at=KNOWN)
    client.force_login(in_zone(client_user, far))
    assert_shown_locally(client.get(reverse("privacy:centre")).content.decode(), far)
    assert_shown_locally(client.get(reverse("accounts:history")).content.decode(), far)


# --- The data export: page, e-mail, report -----------------------------------------------------
def test_the_export_expiry_and_report_are_in_the_viewers_zone(
    client: Any, client_user: Any, far: str, django_capture_on_commit_callbacks: Any
) -> None:
    from confide.privacy.models import RightsRequest
    from confide.privacy.services import ARCHIVE_VALID, open_archive

    with time_machine.travel(KNOWN - ARCHIVE_VALID, tick=False):  # the link expires at 09:17 UTC
        client.force_login(in_zone(client_user, far))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("privacy:export_start"))
        export = RightsRequest.objects.get(user=client_user, kind="export")
        page = client.get(reverse("privacy:export_status", args=[export.pk])).content.decode()
    assert_shown_locally(page, far)
    assert_shown_locally(mail.outbox[-1].body, far)
    made = (KNOWN - ARCHIVE_VALID).astimezone(ZoneInfo(far))
    with zipfile.ZipFile(BytesIO(open_archive(client_user, export))) as zf:
        report = zf.read("report.html").decode()
    assert_shown_locally(report, far, made.strftime("%H:%M"))


# --- Scheduling notices --------------------------------------------------------------------------
def test_a_session_notice_uses_the_recipients_zone_and_language(
    care: Any, client_user: Any, counselor: Any
) -> None:
    from confide.scheduling import notify
    from confide.scheduling.models import Notice

    booking = make_booking(client_user, counselor)
    in_zone(client_user, "America/Los_Angeles", "sv")
    Notice.objects.create(
        booking=booking, recipient=client_user, key="confirmed:0", due_at=timezone.now()
    )
    notify.send_due()
    message = mail.outbox[-1]
    for text in (message.subject, message.body):
        assert_shown_locally(text, "America/Los_Angeles", "kl. 01:17")
