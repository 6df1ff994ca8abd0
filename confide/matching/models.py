from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedTextField
from confide.privacy.inventory import Declared


class CareRelationship(models.Model):
    """A client's assignment to a counselor. The access policy reads only this (see
    confide/privacy/access.py): a counselor reaches a client's data while one is active."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="care_as_client",
        verbose_name=_("client"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="care_as_counselor",
        verbose_name=_("counselor"),
    )
    started_at = models.DateTimeField(auto_now_add=True, verbose_name=_("started on"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended on"))

    class Meta:
        verbose_name = _("care relationship")
        verbose_name_plural = _("care relationships")
        constraints = [
            # One active counselor per client at a time.
            models.UniqueConstraint(
                fields=["client"], condition=Q(ended_at__isnull=True), name="one_active_counselor"
            )
        ]

    class PersonalData:
        subject = "client"
        fields = {
            "counselor": Declared(
                "health",
                ["care", "matching"],
                "explicit_consent",
                "clinical_hold",
                "keep_under_legal_hold",
                law="clinical_records",
                editable=False,
            ),
            "started_at": Declared(
                "health",
                ["care"],
                "explicit_consent",
                "clinical_hold",
                "keep_under_legal_hold",
                law="clinical_records",
                editable=False,
            ),
            "ended_at": Declared(
                "health",
                ["care"],
                "explicit_consent",
                "clinical_hold",
                "keep_under_legal_hold",
                law="clinical_records",
                editable=False,
            ),
        }
        not_personal = ["id", "client"]

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class ChangeRequest(models.Model):
    """A client asked for a different counselor. The optional reason is encrypted and never
    shown to the previous counselor."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("request number")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="counselor_changes",
        verbose_name=_("client"),
    )
    previous_counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("previous counselor"),
    )
    reason = EncryptedTextField(blank=True, verbose_name=_("reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("asked on"))

    class Meta:
        verbose_name = _("request for another counselor")
        verbose_name_plural = _("requests for another counselor")

    class PersonalData:
        subject = "client"
        fields = {
            "previous_counselor": Declared(
                "health",
                ["matching"],
                "explicit_consent",
                "account_lifetime",
                "delete",
                editable=False,
            ),
            "reason": Declared(
                "health", ["matching"], "explicit_consent", "account_lifetime", "shred"
            ),
            "created_at": Declared(
                "health",
                ["matching"],
                "explicit_consent",
                "account_lifetime",
                "delete",
                editable=False,
            ),
        }
        not_personal = ["id", "client"]
