"""Booking notices and session reminders: queued as rows, sent exactly once.

Each notice is one row, unique per (booking, recipient, key), so however many workers create it,
it exists once; a worker sends it only after winning a conditional UPDATE (``claimed_at IS
NULL``), so however many workers run, one sends it. A claim older than CLAIM_TIMEOUT (a worker
died mid-send) may be taken again.

What a notice may say is fixed by its templates: the other person's display name, the time in
the recipient's zone with the zone named, and a link. Never a reason, a diagnosis, a specialty,
or anything from intake or notes — the context passed to the templates holds nothing else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone as dj_timezone

from confide.core import times
from confide.core.mail import send_templated
from confide.core.sms import send_sms
from confide.presets import current_preset
from confide.privacy.processing import may_process
from confide.scheduling import ical
from confide.scheduling.models import Booking, CalendarSettings, Notice

CLAIM_TIMEOUT = timedelta(minutes=10)
#: Reminders further ahead than this are not offered (keeps the scan small).
LONGEST_REMINDER = timedelta(days=7)
_INVITES = {"confirmed": "REQUEST", "changed": "REQUEST", "cancelled": "CANCEL"}
_BOTH = {"confirmed", "requested", "changed", "cancelled"}


def queue(booking: Booking, kind: str) -> None:
    """Queue a notice of ``kind`` about the booking's current state; sent after commit."""
    from confide.core.tasks import enqueue
    from confide.scheduling.tasks import send_due_notices

    recipients = [booking.client_id, booking.counselor_id] if kind in _BOTH else [booking.client_id]
    now = dj_timezone.now()
    Notice.objects.bulk_create(
        [
            Notice(booking=booking, recipient_id=r, key=f"{kind}:{booking.sequence}", due_at=now)
            for r in recipients
        ],
        ignore_conflicts=True,
    )
    enqueue(send_due_notices)


def reminder_minutes(user_ids: set[int]) -> dict[int, list[int]]:
    """Each user's reminder offsets (preset defaults for users who never chose)."""
    default = list(current_preset().reminder_offsets_minutes)
    chosen = dict(
        CalendarSettings.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "reminder_minutes"
        )
    )
    return {uid: list(chosen.get(uid, default)) for uid in user_ids}


def due_reminder(
    starts_at: datetime, offsets: list[int], scheduled_at: datetime | None, now: datetime
) -> int | None:
    """The reminder offset (minutes) to send at ``now``, if any: the nearest one already due,
    ignoring those that fell due before the session's time was set. Offsets are real elapsed
    time before the session instant, so "1 hour before" is 60 minutes even across DST."""
    if now >= starts_at:
        return None
    due = [
        m
        for m in offsets
        if starts_at - timedelta(minutes=m) <= now
        and (scheduled_at is None or starts_at - timedelta(minutes=m) >= scheduled_at)
    ]
    return min(due) if due else None


def materialize_reminders(now: datetime) -> int:
    """Create the reminder rows that are due. Per person and booking only the nearest due
    offset is created (a worker that was down does not send a stale "tomorrow" reminder one
    hour before), and none that fell due before the time was set."""
    rows = list(
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            starts_at__gt=now,
            starts_at__lte=now + LONGEST_REMINDER,
        ).values_list("id", "client_id", "counselor_id", "starts_at", "sequence", "scheduled_at")
    )
    offsets = reminder_minutes({uid for row in rows for uid in row[1:3]})
    found = []
    for booking_id, client_id, counselor_id, starts_at, sequence, scheduled_at in rows:
        for user_id in (client_id, counselor_id):
            minutes = due_reminder(starts_at, offsets[user_id], scheduled_at, now)
            if minutes is not None:
                found.append(
                    Notice(
                        booking_id=booking_id,
                        recipient_id=user_id,
                        key=f"before:{minutes}:{sequence}",
                        due_at=starts_at - timedelta(minutes=minutes),
                    )
                )
    Notice.objects.bulk_create(found, ignore_conflicts=True)
    return len(found)


def _claimable(now: datetime) -> Q:
    return Q(sent_at__isnull=True) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    )


def send_due(now: datetime | None = None, limit: int = 500) -> int:
    """Send every due, unsent notice this worker manages to claim; returns how many it sent."""
    now = now or dj_timezone.now()
    materialize_reminders(now)
    candidates = list(
        Notice.objects.filter(_claimable(now), skipped=False, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in candidates:
        # The conditional UPDATE is the claim: only one worker sees "1 row".
        if Notice.objects.filter(_claimable(now), pk=pk).update(claimed_at=now) == 1:
            sent += deliver(pk, now)
    return sent


def deliver(pk: int, now: datetime) -> int:
    notice = Notice.objects.select_related(
        "booking__client", "booking__counselor", "recipient"
    ).get(pk=pk)
    booking = notice.booking
    if notice.kind == "before" and not _still_wanted(notice, booking, now):
        Notice.objects.filter(pk=pk).update(skipped=True, sent_at=now)
        return 0
    _send(notice, booking, notice.recipient)
    Notice.objects.filter(pk=pk).update(sent_at=dj_timezone.now())
    return 1


def _still_wanted(notice: Notice, booking: Booking, now: datetime) -> bool:
    """A reminder is automatic processing the client did not ask for each time: a client who
    restricted processing (RIGHTS-4) gets none, nor does their counselor about them."""
    sequence = notice.key.rsplit(":", 1)[1]
    return (
        booking.status == Booking.Status.CONFIRMED
        and sequence == str(booking.sequence)
        and booking.starts_at > now
        and may_process(booking.client_id, "scheduling")
    )


def language_of(user: Any) -> str:
    return user.language or current_preset().default_language


def context_for(notice: Notice, booking: Booking, recipient: Any) -> dict[str, Any]:
    """Everything a notice may show. Call inside the recipient's language."""
    tz = times.user_zone(recipient)
    return {
        "kind": notice.kind,
        "name": ical.other_party(booking, recipient).display_name,
        "when": times.when(booking.starts_at, tz=tz),
        "previous": times.when(booking.previous_starts_at, tz=tz)
        if notice.kind == "changed" and booking.previous_starts_at
        else "",
        "is_counselor": recipient.pk == booking.counselor_id,
        "link": settings.SITE_URL + reverse("scheduling:booking", args=[booking.id]),
    }


def _send(notice: Notice, booking: Booking, recipient: Any) -> None:
    language = language_of(recipient)
    with times.for_person(recipient, language) as tz:
        context = context_for(notice, booking, recipient)
        method = _INVITES.get(notice.kind)
        attachments = []
        if method:
            attachments.append(
                (
                    "invite.ics",
                    ical.invite(booking, recipient, method),
                    f"text/calendar; method={method}",
                )
            )
        sms = render_to_string("scheduling/sms/notice.txt", context).strip()
    send_templated(
        "scheduling/email/notice",
        recipient.email,
        context,
        language=language,
        zone=tz,
        attachments=attachments,
    )
    if _wants_sms(recipient):
        send_sms(recipient.phone, " ".join(sms.split()))


def _wants_sms(user: Any) -> bool:
    if not (user.phone and user.phone_verified_at):
        return False
    chosen = CalendarSettings.objects.filter(user=user).values_list("sms_reminders", flat=True)
    return next(iter(chosen), True)
