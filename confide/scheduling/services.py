"""Booking, rescheduling, cancelling and approving sessions; availability and calendar settings.

Every state change runs in one transaction: lock the counselor's Availability row (serializes
writers on PostgreSQL; SQLite's IMMEDIATE transactions already do), re-check the slot, write,
audit, queue notices. The database constraints (models.Booking) are the last word on double
booking: an IntegrityError there becomes :class:`SlotTaken` with fresh alternatives.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from confide.audit import services as audit
from confide.core.times import user_zone
from confide.presets import current_preset
from confide.privacy.access import Action, can_access_client, require_client_access
from confide.privacy.processing import may_process
from confide.scheduling import notify
from confide.scheduling.models import (
    ACTIVE_STATUSES,
    Availability,
    Booking,
    CalendarSettings,
    DateException,
    WeeklyHours,
)
from confide.scheduling.slots import free_slots

__all__ = [
    "BookingRefused",
    "SchedulingError",
    "SlotTaken",
    "approve",
    "book",
    "cancel",
    "decline",
    "free_slots",
    "reschedule",
]


class SchedulingError(Exception):
    """A refusal to show the user, in their language."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class BookingRefused(SchedulingError):
    pass


class SlotTaken(SchedulingError):
    """The time was taken (or stopped being free) while the user chose it."""

    def __init__(self, alternatives: list[datetime]) -> None:
        super().__init__(_("That time was just taken. Please choose another one."))
        self.alternatives = alternatives


# --- Reading ------------------------------------------------------------------------------------


def counselor_of(client: Any) -> Any | None:
    """The client's active counselor (confide.matching), or None."""
    from confide.matching.models import CareRelationship

    care = (
        CareRelationship.objects.select_related("counselor")
        .filter(client=client, ended_at__isnull=True)
        .first()
    )
    return care.counselor if care else None


def availability_for(counselor: Any) -> Availability:
    preset = current_preset()
    rules, _created = Availability.objects.get_or_create(
        counselor=counselor,
        defaults={
            "timezone": counselor.timezone or preset.default_timezone,
            "session_minutes": preset.default_session_minutes,
            "buffer_minutes": preset.default_buffer_minutes,
            "min_notice_minutes": int(preset.default_min_notice.total_seconds() // 60),
            "horizon_days": preset.default_booking_horizon.days,
        },
    )
    return rules


def slots_for(counselor_id: int, days: int = 14, *, exclude_booking: Any = None) -> list[datetime]:
    """Free start times for one counselor from now over ``days`` days."""
    now = dj_timezone.now()
    found = free_slots(
        [counselor_id], now, now + timedelta(days=days), now=now, exclude_booking=exclude_booking
    )
    return found[counselor_id]


def move_options(booking: Booking) -> list[datetime]:
    """Times the booking could move to: free slots ignoring the booking itself, minus its own."""
    slots = slots_for(booking.counselor_id, exclude_booking=booking.pk)
    return [s for s in slots if s != booking.starts_at]


def bookings_of(user: Any) -> tuple[list[Booking], list[Booking], set[int]]:
    """(upcoming, past, client ids whose names the viewer may see) for a client or counselor."""
    now = dj_timezone.now()
    side = "counselor" if user.role == "counselor" else "client"
    rows = Booking.objects.filter(**{side: user}).select_related("client", "counselor")
    upcoming = list(rows.filter(ends_at__gt=now).order_by("starts_at"))
    past = list(rows.filter(ends_at__lte=now).order_by("-starts_at")[:50])
    return upcoming, past, visible_clients(user, upcoming + past)


def visible_clients(viewer: Any, rows: list[Booking]) -> set[int]:
    """Clients whose bookings the viewer may see by name; a counselor passes the access policy
    once per client (audited), former clients stay anonymous."""
    if viewer.role != "counselor":
        return {viewer.pk}
    visible = set()
    for client_id in sorted({b.client_id for b in rows}):
        if can_access_client(viewer, client_id, Action.SCHEDULE):
            require_client_access(viewer, client_id, Action.SCHEDULE)
            visible.add(client_id)
    return visible


def booking_for(actor: Any, booking_id: Any) -> Booking:
    """A booking the actor takes part in; counselors pass the access policy (audited)."""
    from django.core.exceptions import PermissionDenied

    booking = Booking.objects.select_related("client", "counselor").filter(pk=booking_id).first()
    if booking is None or actor.pk not in (booking.client_id, booking.counselor_id):
        raise PermissionDenied
    if actor.pk == booking.counselor_id:
        require_client_access(actor, booking.client_id, Action.SCHEDULE, target=booking)
    return booking


def week_for(counselor: Any, week_start: date) -> tuple[list[Booking], set[int]]:
    """The counselor's bookings in the week starting ``week_start`` (their own zone), and the
    clients they may see by name."""
    tz = user_zone(counselor)
    start = datetime.combine(week_start, time(0), tzinfo=tz)
    end = datetime.combine(week_start + timedelta(days=7), time(0), tzinfo=tz)
    rows = list(
        Booking.objects.filter(counselor=counselor, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Booking.Status.DECLINED)
        .select_related("client")
        .order_by("starts_at")
    )
    return rows, visible_clients(counselor, rows)


# --- Booking ------------------------------------------------------------------------------------


def book(client: Any, starts_at: datetime) -> Booking:
    """Book (or request, when approval is required) ``starts_at`` with the client's counselor.
    Raises BookingRefused, or SlotTaken with alternatives."""
    if client.role != "client":
        raise BookingRefused(_("Only clients can book sessions."))
    if not may_process(client.pk, "care"):
        raise BookingRefused(
            _("You restricted the processing of your data, so new sessions cannot be booked.")
        )
    counselor = counselor_of(client)
    if counselor is None:
        raise BookingRefused(_("You can book once you have been matched with a counselor."))
    rules = availability_for(counselor)
    needs_approval = rules.requires_approval or current_preset().booking_requires_approval
    try:
        with transaction.atomic():
            booking = _insert(client, counselor, starts_at, needs_approval)
    except _Taken:
        raise SlotTaken(_alternatives(counselor.pk, starts_at)) from None
    return booking


class _Taken(Exception):
    pass


def _lock(counselor_id: int) -> Availability:
    return Availability.objects.select_for_update().get(counselor_id=counselor_id)


def _check_free(counselor_id: int, starts_at: datetime, exclude: Any = None) -> None:
    free = free_slots(
        [counselor_id], starts_at, starts_at + timedelta(seconds=1), exclude_booking=exclude
    )
    if starts_at not in free[counselor_id]:
        raise _Taken


def _insert(client: Any, counselor: Any, starts_at: datetime, needs_approval: bool) -> Booking:
    rules = _lock(counselor.pk)
    _check_free(counselor.pk, starts_at)
    now = dj_timezone.now()
    status = Booking.Status.REQUESTED if needs_approval else Booking.Status.CONFIRMED
    try:
        with transaction.atomic():  # savepoint: a constraint violation must not poison the outer
            booking = Booking.objects.create(
                client=client,
                counselor=counselor,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=rules.session_minutes),
                status=status,
                booked_by=client,
                confirmed_at=None if needs_approval else now,
                scheduled_at=now,
            )
    except IntegrityError:
        raise _Taken from None
    audit.record(
        "scheduling.requested" if needs_approval else "scheduling.booked",
        actor=client,
        subject_id=client.pk,
        target=booking,
    )
    notify.queue(booking, "requested" if needs_approval else "confirmed")
    return booking


def _alternatives(counselor_id: int, near: datetime, count: int = 6) -> list[datetime]:
    slots = slots_for(counselor_id, days=21)
    later = [s for s in slots if s >= near - timedelta(hours=12)]
    return (later or slots)[:count]


def _client_may_change(booking: Booking, now: datetime) -> bool:
    return now <= booking.starts_at - current_preset().free_change_before


def reschedule(actor: Any, booking: Booking, starts_at: datetime) -> Booking:
    """Move an active booking. Clients may do so until the preset's free-change limit; the
    counselor at any time before the session. Raises BookingRefused or SlotTaken."""
    now = dj_timezone.now()
    if not booking.is_active or booking.starts_at <= now:
        raise BookingRefused(_("This session can no longer be changed."))
    if actor.pk == booking.client_id and not _client_may_change(booking, now):
        raise BookingRefused(_("It is too late to move this session. You can still cancel it."))
    try:
        with transaction.atomic():
            rules = _lock(booking.counselor_id)
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if not locked.is_active:
                raise BookingRefused(_("This session can no longer be changed."))
            _check_free(booking.counselor_id, starts_at, exclude=booking.pk)
            locked.previous_starts_at = locked.starts_at
            locked.starts_at = starts_at
            locked.ends_at = starts_at + timedelta(minutes=rules.session_minutes)
            locked.rescheduled_by = actor
            locked.rescheduled_at = now
            locked.scheduled_at = now
            locked.reschedule_count += 1
            locked.sequence += 1
            try:
                with transaction.atomic():
                    locked.save()
            except IntegrityError:
                raise _Taken from None
            audit.record(
                "scheduling.rescheduled",
                actor=actor,
                subject_id=locked.client_id,
                target=locked,
                details={"count": locked.reschedule_count},
            )
            notify.queue(locked, "changed")
    except _Taken:
        raise SlotTaken(_alternatives(booking.counselor_id, starts_at)) from None
    return locked


@transaction.atomic
def cancel(actor: Any, booking: Booking, reason: str = "") -> Booking:
    """Cancel an active booking. A client's cancellation inside the free-change window is
    recorded as late; a counselor must give a reason, which the client sees on the site."""
    now = dj_timezone.now()
    reason = reason.strip()
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if not locked.is_active or locked.starts_at <= now:
        raise BookingRefused(_("This session can no longer be cancelled."))
    is_counselor = actor.pk == locked.counselor_id
    if is_counselor and not reason:
        raise BookingRefused(_("Please tell your client why you cancel."))
    locked.status = Booking.Status.CANCELLED
    locked.cancelled_by = actor
    locked.cancelled_at = now
    locked.cancel_reason = reason[:300] if is_counselor else None
    locked.late_cancellation = not is_counselor and not _client_may_change(locked, now)
    locked.sequence += 1
    locked.save()
    audit.record(
        "scheduling.cancelled",
        actor=actor,
        subject_id=locked.client_id,
        target=locked,
        details={"late": locked.late_cancellation, "by_counselor": is_counselor},
    )
    notify.queue(locked, "cancelled")
    return locked


@transaction.atomic
def approve(counselor: Any, booking: Booking) -> Booking:
    """Confirm a requested booking (the counselor's access was checked by booking_for)."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk, counselor=counselor)
    if locked.status != Booking.Status.REQUESTED or locked.starts_at <= dj_timezone.now():
        raise BookingRefused(_("This request can no longer be answered."))
    locked.status = Booking.Status.CONFIRMED
    locked.confirmed_at = locked.scheduled_at = dj_timezone.now()
    locked.save()
    audit.record("scheduling.approved", actor=counselor, subject_id=locked.client_id, target=locked)
    notify.queue(locked, "confirmed")
    return locked


@transaction.atomic
def decline(counselor: Any, booking: Booking, reason: str) -> Booking:
    locked = Booking.objects.select_for_update().get(pk=booking.pk, counselor=counselor)
    if locked.status != Booking.Status.REQUESTED:
        raise BookingRefused(_("This request can no longer be answered."))
    locked.status = Booking.Status.DECLINED
    locked.cancelled_by = counselor
    locked.cancelled_at = dj_timezone.now()
    locked.cancel_reason = reason.strip()[:300] or None
    locked.sequence += 1
    locked.save()
    audit.record("scheduling.declined", actor=counselor, subject_id=locked.client_id, target=locked)
    notify.queue(locked, "declined")
    return locked


# --- Availability -------------------------------------------------------------------------------


@transaction.atomic
def save_availability(
    counselor: Any,
    *,
    timezone: str,
    weekly: dict[int, list[tuple[time, time]]],
    session_minutes: int,
    buffer_minutes: int,
    min_notice_hours: int,
    horizon_days: int,
    requires_approval: bool,
) -> Availability:
    """Replace the counselor's weekly hours (entered in ``timezone``) and booking rules.
    Existing bookings are kept as they are."""
    rules = availability_for(counselor)
    rules.timezone = timezone
    rules.session_minutes = session_minutes
    rules.buffer_minutes = buffer_minutes
    rules.min_notice_minutes = min_notice_hours * 60
    rules.horizon_days = horizon_days
    rules.requires_approval = requires_approval
    rules.save()
    WeeklyHours.objects.filter(counselor=counselor).delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(counselor=counselor, weekday=d, start_time=a, end_time=b, timezone=timezone)
        for d, intervals in weekly.items()
        for a, b in intervals
    )
    audit.record("scheduling.availability_saved", actor=counselor)
    return rules


def weekly_initial(counselor: Any) -> dict[str, time]:
    """Form initial values ``start_<weekday>``/``end_<weekday>`` (first interval per day)."""
    initial: dict[str, time] = {}
    for hours in WeeklyHours.objects.filter(counselor=counselor):
        initial.setdefault(f"start_{hours.weekday}", hours.start_time)
        initial.setdefault(f"end_{hours.weekday}", hours.end_time)
    return initial


def upcoming_exceptions(counselor: Any) -> list[DateException]:
    since = dj_timezone.now().date() - timedelta(days=1)
    return list(DateException.objects.filter(counselor=counselor, date__gte=since))


def add_exception(
    counselor: Any, day: date, kind: str, start: time | None, end: time | None
) -> DateException:
    rules = availability_for(counselor)
    found = DateException.objects.create(
        counselor=counselor,
        date=day,
        kind=kind,
        start_time=start,
        end_time=end,
        timezone=rules.timezone,
    )
    audit.record("scheduling.exception_added", actor=counselor, target=found)
    return found


def remove_exception(counselor: Any, exception_id: int) -> None:
    """Delete one of the counselor's own exceptions; raise ``DateException.DoesNotExist`` when it
    is not theirs (or gone), so the view answers 404 instead of claiming a removal."""
    with transaction.atomic():
        found = DateException.objects.get(counselor=counselor, pk=exception_id)
        audit.record("scheduling.exception_removed", actor=counselor, target=found)
        found.delete()


# --- Reminders and calendar feed ----------------------------------------------------------------


def calendar_settings(user: Any) -> CalendarSettings:
    found, _created = CalendarSettings.objects.get_or_create(
        user=user, defaults={"reminder_minutes": list(current_preset().reminder_offsets_minutes)}
    )
    return found


def save_reminders(user: Any, minutes: list[int], sms: bool) -> CalendarSettings:
    found = calendar_settings(user)
    found.reminder_minutes = sorted(set(minutes), reverse=True)
    found.sms_reminders = sms
    found.save(update_fields=["reminder_minutes", "sms_reminders"])
    return found


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def enable_feed(user: Any, details: bool) -> str:
    """Turn on (or replace) the private feed; returns the token, shown once. Only its hash is
    kept, so a leaked database reveals no working feed URL."""
    token = secrets.token_urlsafe(32)
    found = calendar_settings(user)
    found.feed_token_hash = token_hash(token)
    found.feed_details = details
    found.save(update_fields=["feed_token_hash", "feed_details"])
    audit.record("scheduling.feed_enabled", actor=user, subject_id=user.pk)
    return token


def disable_feed(user: Any) -> None:
    CalendarSettings.objects.filter(user=user).update(feed_token_hash=None)
    audit.record("scheduling.feed_revoked", actor=user, subject_id=user.pk)


def feed_owner(token: str) -> tuple[Any, CalendarSettings] | None:
    found = (
        CalendarSettings.objects.select_related("user")
        .filter(feed_token_hash=token_hash(token))
        .first()
    )
    if found is None or found.user.is_blocked or not found.user.is_active:
        return None
    return found.user, found


def feed_bookings(user: Any) -> list[Booking]:
    since = dj_timezone.now() - timedelta(days=30)
    side = "counselor" if user.role == "counselor" else "client"
    return list(
        Booking.objects.filter(**{side: user}, starts_at__gte=since)
        .filter(status__in=(*ACTIVE_STATUSES, Booking.Status.CANCELLED, "completed"))
        .select_related("client", "counselor")
        .order_by("starts_at")
    )
