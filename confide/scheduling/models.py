from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from confide.privacy.inventory import Declared

_CARE = ["care", "scheduling"]
_HOLD_LAW = "health-records law of the preset (clinical record hold)"


class Booking(models.Model):
    """A scheduled session between a client and a counselor. Times are stored in UTC."""

    class Status(models.TextChoices):
        REQUESTED = "requested"
        CONFIRMED = "confirmed"
        CANCELLED = "cancelled"
        DECLINED = "declined"
        COMPLETED = "completed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings_as_client"
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings_as_counselor"
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(auto_now_add=True)

    class PersonalData:
        subject = "client"
        fields = {
            "counselor": Declared(
                "health",
                _CARE,
                "explicit_consent",
                "clinical_hold",
                "keep_under_legal_hold",
                law=_HOLD_LAW,
                editable=False,
            ),
            "starts_at": Declared(
                "health",
                _CARE,
                "explicit_consent",
                "clinical_hold",
                "keep_under_legal_hold",
                law=_HOLD_LAW,
            ),
            "ends_at": Declared(
                "health",
                _CARE,
                "explicit_consent",
                "clinical_hold",
                "keep_under_legal_hold",
                law=_HOLD_LAW,
            ),
            "status": Declared(
                "health",
                _CARE,
                "explicit_consent",
                "clinical_hold",
                "keep_under_legal_hold",
                law=_HOLD_LAW,
                editable=False,
            ),
            "created_at": Declared(
                "usage",
                _CARE,
                "contract",
                "clinical_hold",
                "keep_under_legal_hold",
                law=_HOLD_LAW,
                editable=False,
            ),
        }
        not_personal = ["id", "client"]
