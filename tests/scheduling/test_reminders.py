"""Reminders: due at the right instant across DST, sent once with several workers, and never
carrying health information."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from confide.core import sms
from confide.matching.models import CareRelationship
from confide.scheduling import notify, services
from confide.scheduling.models import Booking, Notice
from confide.scheduling.slots import to_instant
from tests.factories import make_user
from tests.scheduling.conftest import open_hours, utc

DST_CASES = [
    # (counselor zone, client zone, local date of a session just after a transition)
    ("Europe/Madrid", "Europe/Madrid", "2026-03-30"),
    ("Europe/Stockholm", "Europe/Stockholm", "2026-10-26"),
    ("Europe/Tirane", "Europe/Tirane", "2026-03-30"),
    ("America/New_York", "America/New_York", "2026-11-02"),
    ("America/New_York", "Europe/Madrid", "2026-03-09"),  # US switched, EU not yet
    ("Europe/Stockholm", "America/New_York", "2026-10-26"),  # EU switched, US not yet
]


def send_all(now: datetime) -> int:
    return notify.send_due(now)


def clear_outboxes() -> None:
    mail.outbox.clear()
    sms.sent.clear()


@pytest.mark.promise("CARE-1")
@pytest.mark.parametrize(("counselor_tz", "client_tz", "day"), DST_CASES)
def test_bookings_and_reminders_across_dst(
    db: Any, time_machine: Any, counselor_tz: str, client_tz: str, day: str
) -> None:
    counselor = open_hours(make_user("counselor", passkey=True), counselor_tz)
    client = make_user("client", timezone=client_tz, language="en")
    CareRelationship.objects.create(client=client, counselor=counselor)
    session_day = datetime.fromisoformat(day).date()
    # Booked three days earlier, on the other side of the transition.
    booked_at = to_instant(session_day - timedelta(days=3), datetime.min.time(), ZoneInfo("UTC"))
    time_machine.move_to(booked_at, tick=False)
    start = to_instant(
        session_day, datetime.strptime("10:00", "%H:%M").time(), ZoneInfo(counselor_tz)
    )
    booking = services.book(client, start)
    # Stored in UTC, 10:00 on the counselor's wall clock after the switch.
    assert booking.starts_at.astimezone(ZoneInfo(counselor_tz)).hour == 10
    send_all(booked_at)
    clear_outboxes()
    day_before = booking.starts_at - timedelta(hours=24)
    assert send_all(day_before - timedelta(seconds=1)) == 0
    assert send_all(day_before) == 2  # client and counselor, exactly 24 real hours before
    shown = booking.starts_at.astimezone(ZoneInfo(client_tz))
    client_mail = next(m for m in mail.outbox if m.to == [client.email])
    assert f"{shown:%H:%M} ({client_tz}, {shown.tzname()})" in client_mail.body
    hour_before = booking.starts_at - timedelta(hours=1)
    assert send_all(hour_before - timedelta(seconds=1)) == 0
    assert send_all(hour_before) == 2
    assert send_all(booking.starts_at) == 0
    keys = set(Notice.objects.filter(key__startswith="before").values_list("key", "due_at"))
    assert keys == {("before:1440:0", day_before), ("before:60:0", hour_before)}


@pytest.mark.django_db(transaction=True)
def test_reminders_are_sent_once_with_two_workers() -> None:
    counselor = open_hours(make_user("counselor", passkey=True), "Europe/Madrid")
    clients = [make_user("client") for _ in range(6)]
    start = services.dj_timezone.now() + timedelta(days=2)
    for index, client in enumerate(clients):
        CareRelationship.objects.create(client=client, counselor=counselor)
        Booking.objects.create(
            client=client,
            counselor=counselor,
            starts_at=start + timedelta(hours=index),
            ends_at=start + timedelta(hours=index, minutes=50),
            scheduled_at=start - timedelta(days=5),
        )
    due = start - timedelta(minutes=30)  # 1 h reminder of the first, 24 h ones of the rest
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        barrier.wait()
        try:
            for _ in range(3):
                counts.append(notify.send_due(due))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Only the nearest due offset per person and booking: the 1 h one for the first bookings,
    # the 24 h one for those still more than an hour away.
    assert sum(counts) == 12 == len(mail.outbox)
    recipients = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(set(recipients)) == len(recipients)
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0


def test_a_stale_claim_is_taken_again(db: Any, care: Any, counselor: Any, client_user: Any) -> None:
    open_hours(counselor, notice_minutes=0)
    start = services.slots_for(counselor.pk)[0]
    services.book(client_user, start)
    now = services.dj_timezone.now()
    Notice.objects.update(claimed_at=now)  # a worker claimed them and died
    assert notify.send_due(now + timedelta(minutes=1)) == 0
    assert notify.send_due(now + notify.CLAIM_TIMEOUT + timedelta(minutes=1)) == 2


def test_a_moved_session_gets_reminders_for_its_new_time_only(
    db: Any, time_machine: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor, tz="UTC")
    time_machine.move_to(utc(2030, 1, 1, 8), tick=False)
    booking = services.book(client_user, utc(2030, 1, 5, 9))
    services.reschedule(client_user, booking, utc(2030, 1, 6, 9))
    send_all(utc(2030, 1, 1, 8))
    clear_outboxes()
    assert send_all(utc(2030, 1, 4, 9)) == 0  # the old time's reminder never fires
    assert send_all(utc(2030, 1, 5, 9)) == 2


def test_a_cancelled_session_gets_no_reminder(
    db: Any, time_machine: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor, tz="UTC")
    time_machine.move_to(utc(2030, 1, 1, 8), tick=False)
    services.cancel(client_user, services.book(client_user, utc(2030, 1, 5, 9)))
    send_all(utc(2030, 1, 1, 8))
    assert send_all(utc(2030, 1, 5, 8, 30)) == 0


def test_each_person_chooses_their_reminders(
    db: Any, time_machine: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor, tz="UTC")
    services.save_reminders(client_user, [], sms=False)  # the client wants none
    services.save_reminders(counselor, [120], sms=False)
    time_machine.move_to(utc(2030, 1, 1, 8), tick=False)
    services.book(client_user, utc(2030, 1, 5, 9))
    send_all(utc(2030, 1, 1, 8))
    clear_outboxes()
    assert send_all(utc(2030, 1, 5, 7)) == 1
    assert mail.outbox[0].to == [counselor.email]


def test_a_verified_phone_also_gets_a_text(
    db: Any, time_machine: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    open_hours(counselor, tz="UTC")
    client_user.phone, client_user.phone_verified_at = "+34600000000", utc(2029, 1, 1)
    client_user.save()
    time_machine.move_to(utc(2030, 1, 1, 8), tick=False)
    services.book(client_user, utc(2030, 1, 5, 9))
    send_all(utc(2030, 1, 1, 8))
    assert [s["to"] for s in sms.sent] == ["+34600000000"]
    assert "Carmen Ruiz" in sms.sent[0]["text"]


@pytest.mark.promise("CARE-1")
def test_reminders_and_notices_carry_no_health_information(
    canary: Any, time_machine: Any, care: Any, counselor: Any, client_user: Any
) -> None:
    """Canary: plant intake answers and a counselor's reason, run every kind of notice, and
    prove the markers reached no email, attachment, text message, log, audit record or plain
    database column (tests/canary.py scans them all at teardown)."""
    intake, reason = canary.plant("intake"), canary.plant("reason")
    _plant_intake(client_user, intake)
    open_hours(counselor, tz="UTC", approval=True)
    client_user.phone, client_user.phone_verified_at = "+34600000000", utc(2029, 1, 1)
    client_user.language = counselor.language = "en"
    client_user.save()
    counselor.save()
    time_machine.move_to(utc(2030, 1, 1, 8), tick=False)
    booking = services.book(client_user, utc(2030, 1, 5, 9))
    services.approve(counselor, booking)
    services.reschedule(client_user, booking, utc(2030, 1, 6, 9))
    send_all(utc(2030, 1, 1, 8))
    assert send_all(utc(2030, 1, 5, 9)) == 2
    assert send_all(utc(2030, 1, 6, 8)) == 2
    booking.refresh_from_db()
    cancelled = services.cancel(counselor, booking, f"{reason} {intake}")
    send_all(utc(2030, 1, 6, 8))
    kinds = {m.subject.split(":")[0] for m in mail.outbox}
    assert {"Session requested", "Session confirmed", "Session moved", "Reminder"} <= kinds
    assert "Session cancelled" in kinds
    texts = [s["text"] for s in sms.sent]
    assert len(texts) >= 4 and not any(intake in t or reason in t for t in texts)
    attachments = [a[1] for m in mail.outbox for a in m.attachments]
    assert attachments and not any(
        reason.encode() in bytes(a, "utf-8") if isinstance(a, str) else reason.encode() in a
        for a in attachments
    )
    # The reason is kept (encrypted) and shown to the client on the site only.
    assert Booking.objects.get(pk=cancelled.pk).cancel_reason.startswith(reason)


def _plant_intake(client: Any, text: str) -> None:
    from confide.intake.models import IntakeResponse, Questionnaire

    questionnaire = Questionnaire.objects.create(key="canary", version=1, definition={})
    IntakeResponse.objects.create(
        client=client, questionnaire=questionnaire, answers={"why": text}, result={"band": text}
    )
