"""Clinical notes (CARE-7): written by the counselor, never shown to the client.

A note is a draft until signed; a signed note is immutable — the service refuses and a database
trigger (migration 0002, SQLite and PostgreSQL) aborts any UPDATE of a signed note and of any
addendum. Corrections are addenda, each with a reason. Content is sealed under the client's own
``clinical_notes`` data key, which the client's account erasure does not shred: the retention
sweep does, once the legal period after the last entry has passed and no note is under a legal
hold (``NoteHold``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedJSONField, EncryptedTextField
from confide.privacy.inventory import Declared
from confide.privacy.models import DataKey
from confide.records.templates_data import CHOICES

SCOPE = DataKey.CLINICAL_NOTES


def _held(category: str = "health") -> Declared:
    """Part of the clinical record: kept for the health-records period, never self-erased. The
    basis is the client's explicit consent to care, as for the session record; the law only
    decides how long it is kept (the policy says health data is used on no other basis)."""
    return Declared(
        category,
        ["care", "legal"],
        "explicit_consent",
        "clinical_hold",
        "keep_under_legal_hold",
        law="clinical_records",
        editable=False,
    )


class Note(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("note number")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="clinical_notes",
        verbose_name=_("client"),
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="clinical_notes_written",
        verbose_name=_("counselor"),
    )
    #: The session the note is about (none: a free-standing note). No database constraint: the
    #: booking may be swept before a note under a legal hold, which must then stay unchanged.
    booking = models.ForeignKey(
        "scheduling.Booking",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    template = models.CharField(max_length=10, choices=CHOICES, verbose_name=_("template"))
    content = EncryptedJSONField(key_scope=SCOPE, verbose_name=_("note"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("written on"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("last changed on"))
    signed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("signed on"))
    #: SHA-256 of the signed content, also chained into the audit log at signing.
    content_hash = models.CharField(max_length=64, blank=True, verbose_name=_("fingerprint"))

    class Meta:
        verbose_name = _("clinical note")
        verbose_name_plural = _("clinical notes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "counselor", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", signed_at__isnull=True)
                | models.Q(status="signed", signed_at__isnull=False),
                name="note_signed_has_date",
            )
        ]

    class PersonalData:
        subject = "client"
        keeper = "counselor"
        fields = {
            "counselor": _held(),
            "booking": _held(),
            "template": _held(),
            "content": _held(),
            "status": _held(),
            "created_at": _held(),
            "updated_at": _held(),
            "signed_at": _held(),
            "content_hash": _held(),
        }
        not_personal = ["id", "client"]
        age_field = "created_at"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class Addendum(models.Model):
    """A correction or addition to a signed note, with its reason. Immutable once written."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("addendum number")
    )
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="addenda", verbose_name=_("note")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    reason = EncryptedTextField(key_scope=SCOPE, verbose_name=_("reason"))
    body = EncryptedTextField(key_scope=SCOPE, verbose_name=_("addendum"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("written on"))
    content_hash = models.CharField(max_length=64, verbose_name=_("fingerprint"))

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["created_at"]

    class PersonalData:
        subject = "note__client"
        keeper = "author"
        fields = {
            "author": _held(),
            "reason": _held(),
            "body": _held(),
            "created_at": _held(),
            "content_hash": _held(),
        }
        not_personal = ["id", "note"]


class NoteHold(models.Model):
    """A legal hold on one note (e.g. a court case): the note, its addenda and its key outlive
    the retention period until the hold is released."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("hold number")
    )
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="holds", verbose_name=_("note")
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placed by"),
    )
    reason = EncryptedTextField(key_scope=SCOPE, verbose_name=_("reason for the hold"))
    placed_on = models.DateTimeField(auto_now_add=True, verbose_name=_("placed on"))
    released_on = models.DateTimeField(null=True, blank=True, verbose_name=_("released on"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )

    class Meta:
        verbose_name = _("legal hold on a note")
        verbose_name_plural = _("legal holds on notes")
        ordering = ["placed_on"]

    class PersonalData:
        subject = "note__client"
        fields = {
            "placed_by": _held(),
            "reason": _held(),
            "placed_on": _held(),
            "released_on": _held(),
            "released_by": _held(),
        }
        not_personal = ["id", "note"]
        age_field = "placed_on"
