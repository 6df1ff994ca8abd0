"""Scheduling data: counselor availability, bookings, notices (reminders) and calendar settings.

Every instant is stored in UTC; wall-clock rules (weekly hours, exceptions) are stored as local
times together with the IANA zone they were entered in, and turned into instants per date so that
daylight-saving shifts never move a working hour (docs/scheduling.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedTextField
from confide.privacy.inventory import Declared

_CARE = ["care", "scheduling"]
_HOLD_LAW = "clinical_records"
_SCHED = ["scheduling"]

#: Statuses that hold a counselor's time (the no-double-booking rules apply to these only).
ACTIVE_STATUSES = ("requested", "confirmed")


def _held(category: str = "health", editable: bool = False) -> Declared:
    """A field of the session record (CARE-2): kept for the clinical hold."""
    return Declared(
        category,
        _CARE,
        "explicit_consent",
        "clinical_hold",
        "keep_under_legal_hold",
        law=_HOLD_LAW,
        editable=editable,
    )


def _setting(category: str = "preferences") -> Declared:
    return Declared(category, _SCHED, "contract", "account_lifetime", "delete")


class Availability(models.Model):
    """A counselor's booking rules. The row doubles as the per-counselor lock that serializes
    concurrent bookings (``select_for_update`` in services.book)."""

    counselor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="availability",
        verbose_name=_("counselor"),
    )
    #: IANA zone the weekly hours and exceptions were entered in.
    timezone = models.CharField(max_length=64, verbose_name=_("time zone"))
    session_minutes = models.PositiveSmallIntegerField(
        default=50, verbose_name=_("session length (minutes)")
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=10, verbose_name=_("break between sessions (minutes)")
    )
    min_notice_minutes = models.PositiveIntegerField(
        default=12 * 60, verbose_name=_("minimum notice (minutes)")
    )
    horizon_days = models.PositiveSmallIntegerField(
        default=28, verbose_name=_("bookable days ahead")
    )
    requires_approval = models.BooleanField(
        default=False, verbose_name=_("counselor confirms each booking")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("changed on"))

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")

    class PersonalData:
        subject = "counselor"
        fields = {
            "timezone": _setting("location"),
            "session_minutes": _setting(),
            "buffer_minutes": _setting(),
            "min_notice_minutes": _setting(),
            "horizon_days": _setting(),
            "requires_approval": _setting(),
            "updated_at": _setting("usage"),
        }
        not_personal = ["id", "counselor"]


class WeeklyHours(models.Model):
    """One working interval on one weekday, in local time of ``timezone``."""

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="weekly_hours",
        verbose_name=_("counselor"),
    )
    weekday = models.PositiveSmallIntegerField(verbose_name=_("day of the week"))  # 0 = Monday
    start_time = models.TimeField(verbose_name=_("start time"))
    end_time = models.TimeField(verbose_name=_("end time"))
    timezone = models.CharField(max_length=64, verbose_name=_("time zone"))

    class Meta:
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weekly_hours_weekday"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="weekly_hours_order"
            ),
        ]

    class PersonalData:
        subject = "counselor"
        fields = {
            "weekday": _setting(),
            "start_time": _setting(),
            "end_time": _setting(),
            "timezone": _setting("location"),
        }
        not_personal = ["id", "counselor"]


class DateException(models.Model):
    """A day off (whole day when no times are given, else the interval) or extra hours."""

    class Kind(models.TextChoices):
        OFF = "off"
        EXTRA = "extra"

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="date_exceptions",
        verbose_name=_("counselor"),
    )
    date = models.DateField(verbose_name=_("date"))
    kind = models.CharField(
        max_length=5, choices=Kind.choices, verbose_name=_("day off or extra hours")
    )
    start_time = models.TimeField(null=True, blank=True, verbose_name=_("start time"))
    end_time = models.TimeField(null=True, blank=True, verbose_name=_("end time"))
    timezone = models.CharField(max_length=64, verbose_name=_("time zone"))

    class Meta:
        verbose_name = _("day off or extra hours")
        verbose_name_plural = _("days off and extra hours")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="off", start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__gt=models.F("start_time")),
                name="date_exception_times",
            )
        ]

    class PersonalData:
        subject = "counselor"
        fields = {
            "date": _setting(),
            "kind": _setting(),
            "start_time": _setting(),
            "end_time": _setting(),
            "timezone": _setting("location"),
        }
        not_personal = ["id", "counselor"]


class Booking(models.Model):
    """A scheduled session between a client and a counselor. Times are stored in UTC.

    Double booking is refused by the database: a partial unique index on (counselor, starts_at)
    for active bookings everywhere, and on PostgreSQL an exclusion constraint over the time range
    (migration 0002). Services also serialize on the counselor's Availability row."""

    class Status(models.TextChoices):
        REQUESTED = "requested"
        CONFIRMED = "confirmed"
        CANCELLED = "cancelled"
        DECLINED = "declined"
        COMPLETED = "completed"

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("session number")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bookings_as_client",
        verbose_name=_("client"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bookings_as_counselor",
        verbose_name=_("counselor"),
    )
    starts_at = models.DateTimeField(db_index=True, verbose_name=_("start"))
    ends_at = models.DateTimeField(verbose_name=_("end"))
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.CONFIRMED, verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("booked on"))
    # --- Session record (CARE-2): who did what and when; never clinical content. ---
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed on"))
    rescheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moved by"),
    )
    rescheduled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("moved on"))
    reschedule_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("times moved"))
    previous_starts_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("previous start")
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled on"))
    #: Written by the counselor for the client; shown on the site, never sent by email or SMS.
    cancel_reason = EncryptedTextField(
        null=True, blank=True, key_scope="clinical_hold", verbose_name=_("reason for cancelling")
    )
    late_cancellation = models.BooleanField(default=False, verbose_name=_("cancelled late"))
    #: iCalendar SEQUENCE: raised on every change the attendees must see (RFC 5545 3.8.7.4).
    sequence = models.PositiveIntegerField(default=0, verbose_name=_("calendar revision"))
    #: When the current time was last set; reminders due before it are skipped.
    scheduled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("time last set on"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["counselor", "starts_at"], name="booking_counselor_start")]
        constraints = [
            models.UniqueConstraint(
                fields=["counselor", "starts_at"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="booking_no_double_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
        ]

    class PersonalData:
        subject = "client"
        fields = {
            "counselor": _held(),
            "starts_at": _held(editable=True),
            "ends_at": _held(editable=True),
            "status": _held(),
            "created_at": Declared(
                "usage",
                _CARE,
                "contract",
                "clinical_hold",
                "keep_under_legal_hold",
                law=_HOLD_LAW,
                editable=False,
            ),
            "booked_by": _held("usage"),
            "confirmed_at": _held("usage"),
            "rescheduled_by": _held("usage"),
            "rescheduled_at": _held("usage"),
            "reschedule_count": _held("usage"),
            "previous_starts_at": _held(),
            "cancelled_by": _held("usage"),
            "cancelled_at": _held("usage"),
            "cancel_reason": _held("content"),
            "late_cancellation": _held("usage"),
            "sequence": _held("usage"),
            "scheduled_at": _held("usage"),
        }
        not_personal = ["id", "client"]
        #: The clinical record's period runs from the end of the last session (KEEP-1).
        age_field = "ends_at"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Notice(models.Model):
    """One email (and SMS) to one person about one booking. The unique key makes every notice
    exist once; workers claim rows with a conditional UPDATE, so each is sent exactly once."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="notices", verbose_name=_("session")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    #: "confirmed:<seq>", "requested:<seq>", "changed:<seq>", "cancelled:<seq>",
    #: "declined:<seq>" or "before:<minutes>:<seq>".
    key = models.CharField(max_length=40, verbose_name=_("kind of notice"))
    due_at = models.DateTimeField(verbose_name=_("due on"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sending started on"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent on"))
    skipped = models.BooleanField(default=False, verbose_name=_("skipped"))

    class Meta:
        verbose_name = _("session notice")
        verbose_name_plural = _("session notices")
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "recipient", "key"], name="notice_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "due_at"], name="notice_due")]

    class PersonalData:
        subject = "recipient"
        fields = {
            "due_at": Declared("usage", _SCHED, "contract", "until_done", "delete"),
            "claimed_at": Declared("usage", _SCHED, "contract", "until_done", "delete"),
            "sent_at": Declared("usage", _SCHED, "contract", "until_done", "delete"),
        }
        not_personal = ["id", "booking", "recipient", "key", "skipped"]

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]


class CalendarSettings(models.Model):
    """Per-user reminder choices and the private calendar feed (stored as a hash of its token)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_settings",
        verbose_name=_("account"),
    )
    #: Minutes before a session; empty means no reminders.
    reminder_minutes = models.JSONField(
        default=list, blank=True, verbose_name=_("reminders (minutes before)")
    )
    sms_reminders = models.BooleanField(default=True, verbose_name=_("reminders by text message"))
    feed_token_hash = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        verbose_name=_("calendar feed key (hashed)"),
    )
    #: Feed shows the other person's display name instead of only "Counseling session".
    feed_details = models.BooleanField(default=False, verbose_name=_("names in the calendar feed"))

    class Meta:
        verbose_name = _("reminder and calendar settings")
        verbose_name_plural = _("reminder and calendar settings")

    class PersonalData:
        subject = "user"
        fields = {
            "reminder_minutes": _setting(),
            "sms_reminders": _setting(),
            "feed_token_hash": Declared(
                "credentials", ["scheduling", "security"], "contract", "account_lifetime", "delete"
            ),
            "feed_details": _setting(),
        }
        not_personal = ["id", "user"]
