"""What happened in a video session (CARE-2): who joined and left, when it started and ended,
and recording consent where a preset allows recording. Never any media or content."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.inventory import Declared

_HOLD_LAW = "clinical_records"


def _held(category: str) -> Declared:
    return Declared(
        category,
        ["care"],
        "explicit_consent",
        "clinical_hold",
        "keep_under_legal_hold",
        law=_HOLD_LAW,
        editable=False,
    )


class SessionEvent(models.Model):
    class Kind(models.TextChoices):
        JOIN = "join"
        LEAVE = "leave"
        START = "start"
        END = "end"
        RECORDING_CONSENT = "recording_consent"
        RECORDING_REFUSED = "recording_refused"

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("event number")
    )
    booking = models.ForeignKey(
        "scheduling.Booking",
        on_delete=models.CASCADE,
        related_name="session_events",
        verbose_name=_("session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session_events",
        verbose_name=_("person"),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("what happened"))
    at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("time"))

    class Meta:
        verbose_name = _("session event")
        verbose_name_plural = _("session events")
        ordering = ["at"]
        indexes = [models.Index(fields=["booking", "kind"])]

    class PersonalData:
        subject = "booking__client"
        fields = {"user": _held("health"), "kind": _held("health"), "at": _held("health")}
        not_personal = ["id", "booking"]
